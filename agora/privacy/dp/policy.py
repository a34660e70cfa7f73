"""The numbers that decide how private the statistics are, read from settings so an operator
can tighten them (defaults in brackets):

- ``AGORA_DP_MONTHLY_EPSILON`` (1.0): ε a seller may spend on one month's data, summed over
  every release about that month (sequential composition);
- ``AGORA_DP_RELEASE_EPSILON`` (0.5): ε of one release unless the seller picks another from
  ``AGORA_DP_EPSILON_CHOICES`` (0.1, 0.25, 0.5, 1.0);
- ``AGORA_DP_ORDERS_PER_BUYER`` K (2): orders of one buyer counted per month, over the whole
  table (so at most K in any cell); more are dropped before counting;
- ``AGORA_DP_UNITS_PER_BUYER`` U (6): units of one buyer counted per month, likewise.

Adding or removing one buyer changes the order counts by at most K in L1 norm and the unit
counts by at most U: those are the sensitivities the noise is calibrated to.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings


def monthly_epsilon() -> Decimal:
    return Decimal(str(getattr(settings, "AGORA_DP_MONTHLY_EPSILON", "1.0")))


def release_epsilon() -> Decimal:
    return Decimal(str(getattr(settings, "AGORA_DP_RELEASE_EPSILON", "0.5")))


def epsilon_choices() -> list[Decimal]:
    values = getattr(settings, "AGORA_DP_EPSILON_CHOICES", ("0.1", "0.25", "0.5", "1.0"))
    return [Decimal(str(v)) for v in values]


def orders_per_buyer() -> int:
    return int(getattr(settings, "AGORA_DP_ORDERS_PER_BUYER", 2))


def units_per_buyer() -> int:
    return int(getattr(settings, "AGORA_DP_UNITS_PER_BUYER", 6))

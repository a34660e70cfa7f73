"""The OpenDP measurements: discrete Laplace noise (``make_laplace`` on integers) added to a
vector of counts whose L1 sensitivity is stated by the caller.

The scale is found by OpenDP's own ``binary_search_param`` so that the measurement's privacy
map, asked about the stated sensitivity, answers at most the ε we charge; we check it again
before use, so the ledger never records less than the measurement can lose. OpenDP draws its
noise from a cryptographically secure source and cannot be seeded: the tests assert
properties (privacy map, loose statistical bounds), not exact numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import opendp.prelude as dp

dp.enable_features("contrib")


@dataclass(frozen=True)
class NoisyCounts:
    values: list[int]
    scale: float
    epsilon: float
    sensitivity: int


def _space() -> tuple[Any, Any]:
    return dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)


@lru_cache(maxsize=64)
def count_measurement(sensitivity: int, epsilon: float) -> tuple[Any, float]:
    """The measurement for count vectors with L1 ``sensitivity`` at privacy loss ``epsilon``
    (pure DP, ``MaxDivergence``), and its noise scale."""
    if sensitivity < 1 or epsilon <= 0:
        raise ValueError("the sensitivity must be at least 1 and ε positive")
    space = _space()

    def make(scale: float) -> Any:
        return space >> dp.m.then_laplace(scale=scale)

    scale = float(dp.binary_search_param(make, d_in=sensitivity, d_out=epsilon))
    measurement = make(scale)
    if measurement.map(sensitivity) > epsilon:  # binary search guarantees this; kept as a guard
        raise AssertionError("the measurement would lose more privacy than charged")
    return measurement, scale


def privacy_loss(sensitivity: int, epsilon: float) -> float:
    """What OpenDP's privacy map says the measurement loses for neighbours ``sensitivity``
    apart: at most ``epsilon``."""
    measurement, _ = count_measurement(sensitivity, epsilon)
    return float(measurement.map(sensitivity))


def noisy_counts(counts: list[int], *, sensitivity: int, epsilon: float) -> NoisyCounts:
    """``counts`` with discrete Laplace noise; the raw noisy values (they may be negative)."""
    measurement, scale = count_measurement(sensitivity, float(epsilon))
    values = [int(v) for v in measurement([int(c) for c in counts])] if counts else []
    return NoisyCounts(values, scale, float(epsilon), sensitivity)


def accuracy(scale: float, alpha: float = 0.05) -> float:
    """Half-width of the interval holding the noise with probability ``1 - alpha``."""
    return float(dp.discrete_laplacian_scale_to_accuracy(scale, alpha))

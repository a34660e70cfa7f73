"""Emissions avoided by reusing a package instead of a single-use one (pure).

Per loop: the single-use alternative's kg CO2e (made for that one shipment) minus the reusable
package's share of that loop: the empty package's trip back plus, when the type cites one, its
own manufacture spread over its expected loops. Over a package's life:
``loops * (single_use - (loop + manufacture / expected_loops))``. The figure may be negative
(a heavy reusable box that comes back by van can do worse than cardboard); it is shown as it is.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PLACES = Decimal("0.0001")


def per_loop_share(*, loop_kg: Decimal, manufacture_kg: Decimal, expected_loops: int) -> Decimal:
    """The reusable package's kg CO2e charged to one loop."""
    if expected_loops < 1:
        raise ValueError("expected_loops must be at least 1")
    return loop_kg + manufacture_kg / Decimal(expected_loops)


def avoided_kg(
    *,
    loops: int,
    single_use_kg: Decimal,
    loop_kg: Decimal,
    manufacture_kg: Decimal = Decimal(0),
    expected_loops: int = 1,
) -> Decimal:
    """kg CO2e avoided over ``loops`` returned trips, to 0.1 g."""
    share = per_loop_share(
        loop_kg=loop_kg, manufacture_kg=manufacture_kg, expected_loops=expected_loops
    )
    return (Decimal(loops) * (single_use_kg - share)).quantize(PLACES, ROUND_HALF_UP)

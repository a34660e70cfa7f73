"""The ``storefront.recommendations`` implementation (registered in ``apps.py``).

Called with (user id or None, limit) and, by the pages that have them, ``placement`` (home,
product, cart, order) and ``anchors`` (the product shown, the cart's or the order's products);
returns (product public id, reason) pairs, the reason in the request's language. An empty
answer lets the storefront show its own same-for-everyone list, which is what a buyer who
switched profiling off sees on the home page.
"""

from __future__ import annotations

from collections.abc import Sequence

from agora.recommendations import reasons, serving


def storefront_recommendations(
    user_id: int | None,
    limit: int,
    *,
    placement: str = "home",
    anchors: Sequence[str] = (),
) -> list[tuple[str, str]]:
    if placement == "home" and not serving.is_profiled(user_id):
        return []
    served = serving.recommend(user_id=user_id, k=limit, placement=placement, anchors=anchors)
    return list(zip((s.item for s in served), reasons.render_all(served), strict=True))

"""The product data label rules are computed from: today the traceability passport (materials,
spare parts, repair information). Read here, in one place, so the rules stay pure."""

from __future__ import annotations

from typing import Any

from agora.traceability.models import Passport

FACT_FIELDS = ("materials", "spare_parts_years", "repair_text", "repair_url")


def product_facts(product_id: int) -> dict[str, Any]:
    """The passport's figures for a product (empty when it has no passport)."""
    row = Passport.objects.filter(product_id=product_id).values(*FACT_FIELDS).first()
    return dict(row) if row else {}

"""What traceability tells others about an order line's goods: the passport they have.

Orders do not record which serial a line delivered, so this names the product's passport
(the GTIN's Digital Link); a serial is left empty rather than guessed.
"""

from __future__ import annotations

from typing import Any

from agora.orders.models import OrderLine
from agora.traceability.models import Passport
from agora.traceability.passports.identity import digital_link, gtin14


def order_line_passport(order_public_id: str, line_no: int) -> dict[str, Any] | None:
    """``{'digital_link', 'gtin', 'serial': ''}`` when the line's product has a passport."""
    line = (
        OrderLine.objects.filter(order__public_id=order_public_id, line_no=line_no)
        .values("variant__gtin", "variant__product_id")
        .first()
    )
    if line is None or not line["variant__gtin"]:
        return None
    if not Passport.objects.filter(product_id=line["variant__product_id"]).exists():
        return None
    gtin = gtin14(line["variant__gtin"])
    return {"digital_link": digital_link(gtin=gtin), "gtin": gtin, "serial": ""}

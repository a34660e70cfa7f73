"""Notices (issue 8 item 6): the statements of reasons for moderation decisions about the
seller and its products, with the appeal form. Any staff role may read them; the rules live
in :mod:`agora.trust.services`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from agora.sellercenter.access import seller_page
from agora.sellercenter.views.common import page
from agora.trust.selectors import decisions_affecting_seller
from agora.trust.services import may_appeal


@seller_page(None)
def notice_list(request: HttpRequest) -> HttpResponse:
    seller = request.desk.seller  # type: ignore[attr-defined]
    rows = [
        {"d": d, "can_appeal": may_appeal(user=request.user, decision=d)}
        for d in decisions_affecting_seller(seller=seller)
    ]
    return page(request, "sellercenter/notices.html", _("Notices"), "notices", {"rows": rows})

"""``{% consent_banner %}``: the banner on every storefront page until the visitor has answered
the current consent texts."""

from __future__ import annotations

from typing import Any

from django import template

from agora.privacy.purposes import ASKED, PURPOSES
from agora.privacy.selectors import decided
from agora.privacy.subjects import request_subject

register = template.Library()


@register.inclusion_tag("privacy/_banner.html", takes_context=True)
def consent_banner(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    if request is None or request.path.startswith("/privacy/"):
        return {"show": False}
    show = not decided(request_subject(request))
    return {
        "show": show,
        "request": request,
        "versions": [(code, PURPOSES[code].version) for code in ASKED],
        "csrf_token": context.get("csrf_token"),
    }

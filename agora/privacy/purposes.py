"""The purposes Agora asks consent for, and the version of the text shown for each.

A consent counts only for the version of the text it was given to: when a purpose's text changes
in substance its version goes up, earlier consents stop counting (the banner asks again), and a
form or API call still sending the old version is refused (``consent-text-outdated``) rather
than recorded against a text the person did not see. ``necessary`` is not asked: it covers only
what the service cannot run without (session, cart, checkout, fraud and security logs).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from agora.core.consent import ANALYTICS, MARKETING, NECESSARY, PERSONALISATION


@dataclass(frozen=True)
class Purpose:
    code: str
    version: int
    title: object  # lazy translation
    text: object


PURPOSES: dict[str, Purpose] = {
    p.code: p
    for p in (
        Purpose(
            NECESSARY,
            1,
            _("Necessary"),
            _(
                "Your session, cart, orders and the security of your account. Always on: the "
                "shop cannot work without them."
            ),
        ),
        Purpose(
            ANALYTICS,
            1,
            _("Analytics"),
            _(
                "Counting visits and purchases to improve the shop. Figures we publish about "
                "buyers are differentially private."
            ),
        ),
        Purpose(
            PERSONALISATION,
            1,
            _("Personalisation"),
            _(
                "Using what you view, put in your cart and buy to recommend products to you, "
                "each with the reason it is shown."
            ),
        ),
        Purpose(
            MARKETING,
            1,
            _("Marketing e-mails"),
            _("News and offers by e-mail. Every e-mail has a link to stop them."),
        ),
    )
}
ASKED = tuple(code for code in PURPOSES if code != NECESSARY)


def current_versions() -> dict[str, int]:
    return {code: p.version for code, p in PURPOSES.items()}

"""Where this site's Digital Links live and which key signs certificates: the few settings the
passport code reads, in one place.

The URIs are built by part A's :mod:`agora.traceability.epcis.identifiers` (the GS1 rules for
percent-encoding and order live there); this module only picks the base.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.http import HttpRequest

from agora.traceability.epcis.identifiers import digital_link_uri, gtin_normalise
from agora.traceability.log import signing

BASE_ENV = "AGORA_DIGITAL_LINK_BASE"


def gtin14(gtin: str) -> str:
    """A GTIN-8/12/13/14 as the 14 digits Digital Links and the item table use."""
    return gtin_normalise(gtin)


def resolver_base(request: HttpRequest | None = None) -> str:
    """``AGORA_DIGITAL_LINK_BASE`` when set (a label printed today must still resolve after a
    move behind another proxy), else the request's scheme and host, else the first allowed
    host over https."""
    configured = os.environ.get(BASE_ENV, "").strip().rstrip("/")
    if configured:
        return configured
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    hosts = [h for h in settings.ALLOWED_HOSTS if h and h not in {"*", "testserver"}]
    host = hosts[0].lstrip(".") if hosts else "localhost"
    return f"https://{host}"


def digital_link(
    *,
    gtin: str,
    serial: str | None = None,
    lot: str | None = None,
    request: HttpRequest | None = None,
) -> str:
    """The GS1 Digital Link URI of a product, lot or item on this site."""
    return digital_link_uri(base=resolver_base(request), gtin=gtin14(gtin), serial=serial, lot=lot)


def signing_key() -> str:
    """The transparency log's Ed25519 signing key (part B's loader), which also signs
    certificates so one verifier key checks both."""
    return signing.signing_key()

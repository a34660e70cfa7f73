"""Where webhooks may be sent: public internet addresses only, by default.

A webhook URL is chosen by a seller or an app, and our server makes the request, so without a
check a URL such as ``https://169.254.169.254/…`` or ``https://intranet.local/…`` would make
Agora a proxy into its own network (server-side request forgery, OWASP API7:2023). The host is
resolved and every address it resolves to must be globally routable. Loopback is allowed only
when ``AGORA_WEBHOOK_ALLOW_LOOPBACK`` is set (local development, the test suite) and private
networks only with ``AGORA_WEBHOOK_ALLOW_PRIVATE`` (an operator's own on-premise receivers).

The check runs when an endpoint is registered (for IP literals and names that resolve) and
again before every delivery, because DNS answers change. A name re-pointed between our lookup
and httpx's own is not caught; closing that gap needs connecting to the checked address, which
a later change can add through an httpx transport.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class DestinationRefused(Exception):
    """The URL's host is, or resolves to, an address webhooks may not be sent to."""


def _why_not(address: Address) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        allowed = getattr(settings, "AGORA_WEBHOOK_ALLOW_LOOPBACK", False)
        return None if allowed else "a loopback address"
    if address.is_global:
        return None
    if address.is_private and not (address.is_link_local or address.is_reserved):
        allowed = getattr(settings, "AGORA_WEBHOOK_ALLOW_PRIVATE", False)
        return None if allowed else "a private network address"
    return "a link-local, reserved or otherwise non-public address"


def resolve(host: str) -> list[Address]:
    """Every address ``host`` resolves to (an IP literal is its own answer)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}, key=str)


def check_destination(url: str, *, resolve_names: bool = True) -> None:
    """Raises :class:`DestinationRefused` naming the address when ``url`` may not be called.
    With ``resolve_names`` False only IP literals are judged (a name that does not resolve yet
    is judged at delivery). A name that does not resolve when delivering is refused."""
    host = (urlsplit(url).hostname or "").strip("[]").lower()
    if host == "localhost":
        host = "127.0.0.1"
    try:
        addresses = resolve(host)
    except (OSError, UnicodeError) as exc:
        if not resolve_names:
            return
        raise DestinationRefused(f"{host} does not resolve ({exc})") from exc
    for address in addresses:
        why = _why_not(address)
        if why is not None:
            raise DestinationRefused(f"{host} is {why} ({address}); webhooks go to public hosts")

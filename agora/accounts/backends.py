"""An authentication backend that authenticates nobody: listed *before* Django's
``ModelBackend``, it stops every ``authenticate()`` call for a locked account or client (the
storefront login, the admin login, anything else) before a password is checked."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from agora.accounts import throttle
from agora.accounts.models import User


class LockoutBackend:
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        email = username or kwargs.get(User.USERNAME_FIELD) or ""
        if throttle.login_locked_until(email=str(email), request=request) is not None:
            raise PermissionDenied("sign-in is locked for a while after repeated failures")
        return None

    # No ``get_user``: sessions never name this backend, and Django's test client's
    # ``force_login`` picks the first backend that has one.

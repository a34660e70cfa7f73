"""The operator console's login form, aware of the lock-out.

:class:`~agora.accounts.backends.LockoutBackend` stops ``authenticate()`` for a locked account or
client by raising ``PermissionDenied``; Django's ``authenticate`` swallows that and returns None,
so the admin's own form would say "enter a correct email and password" to someone who typed
them right, and never say when to try again. This form asks the throttle, after a refusal,
whether sign-in is locked for that email or this client, and then says so and until when
(``locked_until`` is kept on the form for the site to answer 429 with ``Retry-After``).

Used by :class:`agora.operator.site.OperatorSite` as its ``login_form``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from agora.accounts import throttle
from agora.core.templatetags.agora_format import local_datetime


def locked_message(until: datetime) -> str:
    minutes = throttle.lock_wait(until)[1]
    return ngettext(
        "Sign-in is locked after too many failed attempts. Try again after %(time)s "
        "(in %(n)d minute).",
        "Sign-in is locked after too many failed attempts. Try again after %(time)s "
        "(in %(n)d minutes).",
        minutes,
    ) % {"time": local_datetime(until), "n": minutes}


class LockoutAwareAdminAuthenticationForm(AdminAuthenticationForm):
    """Django's admin login form that tells a locked-out operator so, and until when."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locked_until: datetime | None = None

    def get_invalid_login_error(self) -> ValidationError:
        # Called after authenticate() refused: the failure (if it was one) is already counted,
        # so a fifth wrong password is answered with the lock it started.
        email = str(self.cleaned_data.get("username") or "")
        until = throttle.login_locked_until(email=email, request=self.request)
        if until is None:
            return super().get_invalid_login_error()
        self.locked_until = until
        return ValidationError(locked_message(until), code="locked")

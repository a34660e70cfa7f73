"""``agora createsuperuser`` asks for an email (not the digest Django would prompt for) and
creates an operator whose email lives in the vault; bad input fails by name."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from agora.accounts.models import User

pytestmark = pytest.mark.django_db


def test_creates_an_operator_found_by_email(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long operator passphrase")
    call_command("createsuperuser", "--noinput", "--email", "Op@Example.org")
    user = User.objects.by_email("op@example.org").get()
    assert user.is_staff and user.is_superuser and user.email == "op@example.org"
    assert user.check_password("a long operator passphrase")


@pytest.mark.parametrize(
    ("args", "password", "says"),
    [
        (["--email", "not-an-email"], "a long operator passphrase", "not an email address"),
        (["--email", "op@example.org"], "", "DJANGO_SUPERUSER_PASSWORD"),
        (["--email", "op@example.org"], "short", "the password is refused"),
    ],
)
def test_bad_input_is_refused_and_creates_nothing(monkeypatch, args, password, says) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)
    with pytest.raises(CommandError, match=says):
        call_command("createsuperuser", "--noinput", *args)
    assert not User.objects.exists()


def test_a_taken_email_is_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    User.objects.create_user("op@example.org", "x" * 20)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long operator passphrase")
    with pytest.raises(CommandError, match="already exists"):
        call_command("createsuperuser", "--noinput", "--email", "op@example.org")


def test_the_admin_adds_a_staff_account_by_email(admin_client) -> None:  # type: ignore[no-untyped-def]
    form = {
        "email": "staff@example.org",
        "display_name": "Sam Staff",
        "password1": "a long staff passphrase",
        "password2": "a long staff passphrase",
    }
    response = admin_client.post("/admin/accounts/user/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.by_email("staff@example.org").get()
    assert user.display_name == "Sam Staff" and user.check_password("a long staff passphrase")
    again = admin_client.post("/admin/accounts/user/add/", form)
    assert again.status_code == 200 and "already exists" in again.content.decode()
    listing = admin_client.get("/admin/accounts/user/?q=staff@example.org").content.decode()
    assert user.public_id in listing

"""The console's security events page: every account's trail, filtered by kind and account,
newest first, paged by cursor; operators with the permission only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from agora.accounts.models import SecurityEvent, User
from agora.accounts.security_events import security_event_record
from agora.accounts.services import user_create
from agora.core import clock
from tests.operator.data import operator

pytestmark = pytest.mark.django_db
PASSWORD = "a long passphrase"
URL = "/admin/operator/security-events/"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _ops() -> Client:
    client = Client()
    client.force_login(operator())
    return client


def _rows(html: str) -> list[str]:
    body = html.split('<table id="security-events">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>\s*<td>(.*?)</tr>", body, re.S)


def test_the_operator_reads_and_filters_everyones_trail() -> None:
    ada = user_create(email="ada@example.org", password=PASSWORD)
    bob = user_create(email="bob@example.org", password=PASSWORD)
    browser = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
    browser.post("/accounts/login/", {"username": "ada@example.org", "password": "wrong"})
    browser.post("/accounts/login/", {"username": "nobody@example.org", "password": "wrong"})
    Client().post("/accounts/login/", {"username": "bob@example.org", "password": PASSWORD})
    ops = _ops()

    index = ops.get(reverse("admin:index")).content.decode()
    assert f'href="{URL}"' in index and "Security events" in index  # in the console's nav

    page = ops.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    rows = _rows(html)
    assert len(rows) == SecurityEvent.objects.count() >= 3
    assert ada.public_id in html and bob.public_id in html
    assert "127.0.0.0" in html and "Firefox/140.0" in html
    assert "ada@example.org" not in html  # accounts are named by public id
    assert "account: unknown" in html  # the failure for an address no account has

    failed = ops.get(URL, {"kind": "login.failed"}).content.decode()
    assert len(_rows(failed)) == SecurityEvent.objects.filter(kind="login.failed").count() == 2
    assert "login.ok" not in "".join(_rows(failed))
    only_bob = ops.get(URL, {"user": bob.public_id}).content.decode()
    assert all(bob.public_id in row for row in _rows(only_bob)) and _rows(only_bob)
    assert ada.public_id not in "".join(_rows(only_bob))
    both = ops.get(URL, {"user": ada.public_id, "kind": "login.ok"}).content.decode()
    assert _rows(both) == []  # Ada never signed in
    assert "No security events match." in both

    wrong = ops.get(URL, {"kind": "login.maybe"})
    assert wrong.status_code == 200 and "is not one of" in wrong.content.decode()
    assert len(_rows(wrong.content.decode())) == SecurityEvent.objects.count()


def test_pages_go_back_in_time_without_overlap() -> None:
    ada = user_create(email="ada@example.org", password=PASSWORD)
    with clock.frozen_at(T0):
        for n in range(60):
            clock.advance(timedelta(seconds=1 if n % 3 else 0))  # some share a timestamp
            security_event_record(kind="session.revoked", user=ada, detail={"n": n})
    ops = _ops()
    first = ops.get(URL, {"kind": "session.revoked"}).content.decode()
    newest = [int(re.search(r"n: (\d+)", row).group(1)) for row in _rows(first)]
    assert newest == list(range(59, 9, -1))  # 50 a page, newest first
    older = re.search(r'<a href="(\?[^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    assert "kind=session.revoked" in older  # the filter is kept
    second = ops.get(URL + older).content.decode()
    rest = [int(re.search(r"n: (\d+)", row).group(1)) for row in _rows(second)]
    assert rest == list(range(9, -1, -1))
    assert 'rel="next"' not in second and ">Newest<" in second
    broken = ops.get(URL, {"cursor": "not-a-cursor"})
    assert broken.status_code == 200 and "cursor" in broken.content.decode()
    assert len(_rows(broken.content.decode())) == 50


def test_others_are_turned_away() -> None:
    assert Client().get(URL).status_code == 302  # to the console's login
    buyer = user_create(email="buyer@example.org", password=PASSWORD)
    client = Client()
    client.force_login(buyer)
    answer = client.get(URL)
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
    staff = User.objects.create_user("staff@example.org", PASSWORD, is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get(URL).status_code == 403  # staff, without the permission
    staff.user_permissions.add(Permission.objects.get(codename="view_securityevent"))
    client = Client()
    client.force_login(User.objects.get(pk=staff.pk))
    assert client.get(URL).status_code == 200

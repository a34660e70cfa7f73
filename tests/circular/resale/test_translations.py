"""The resale pages in Simplified Chinese: the new strings of the circular, operator and seller
center catalogues are translated with the same placeholders, and the pages come out in zh-Hans
(catalogues compiled here with Babel, as scripts/compile-messages does in the build)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.circular.resale.factories import own_goods
from tests.operator.data import operator
from tests.sellercenter.helpers import staff_client

ROOT = Path(__file__).resolve().parents[3] / "agora"
APPS = ("circular", "operator", "sellercenter")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
OURS = (
    "Resale",
    "resale",
    "Checklist",
    "warranty",
    "Inspect",
    "Matches the purchase",
    "There is no step",
)


def _catalog(app: str):  # type: ignore[no-untyped-def]
    with (ROOT / app / "locale/zh_Hans/LC_MESSAGES/django.po").open("rb") as handle:
        return read_po(handle, locale="zh_Hans")


@pytest.mark.parametrize("app", APPS)
def test_the_resale_strings_are_translated_with_their_placeholders(app: str) -> None:
    found = 0
    for message in _catalog(app):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if not message.id or not any(word in ids[0] for word in OURS):
            continue
        found += 1
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, ids[0]
        for text in strings:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(ids[0]))
    assert found >= 3


@pytest.fixture
def chinese(tmp_path: Path):  # type: ignore[no-untyped-def]
    paths = []
    for app in APPS:
        folder = tmp_path / app / "zh_Hans" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        with (folder / "django.mo").open("wb") as handle:
            write_mo(handle, _catalog(app))
        paths.append(tmp_path / app)
    with override_settings(LOCALE_PATHS=[*paths, *settings.LOCALE_PATHS]):
        yield


@pytest.mark.django_db
def test_the_resale_pages_speak_chinese(chinese, seller) -> None:  # type: ignore[no-untyped-def]
    item = own_goods(seller)
    ops = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    ops.force_login(operator())
    html = ops.get(reverse("admin:operator_resale")).content.decode()
    assert "二手转售检验" in html and "转售申请：requested" in html  # noqa: RUF001
    html = ops.get(reverse("admin:operator_resale_detail", args=[item.public_id])).content.decode()
    assert "检验并定级" in html and "外观：划痕" in html  # noqa: RUF001
    assert "A（保修 12 个月）" in html  # noqa: RUF001
    desk = staff_client(seller, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = desk.get("/seller/resale/").content.decode()
    assert "转售自有二手商品" in html and "尚未售出二手商品。" in html

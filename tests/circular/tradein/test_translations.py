"""The trade-in pages in Simplified Chinese: every trade-in string of the circular catalogue is
translated with the same placeholders, and the pages come out in zh-Hans (the catalogue
compiled here with Babel, as scripts/compile-messages does in the build)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client, override_settings

from agora.circular.tradein import pricing
from tests.circular.tradein.conftest import quoted

PO = Path(__file__).resolve().parents[3] / "agora/circular/locale/zh_Hans/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalog():  # type: ignore[no-untyped-def]
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh_Hans")


def test_the_questionnaire_and_trade_in_strings_are_translated() -> None:
    catalog = {m.id: m for m in _catalog() if m.id}
    wanted = [str(q.text) for q in pricing.QUESTIONS] + [
        str(label) for q in pricing.QUESTIONS for label, _ in q.answers.values()
    ]
    wanted += [i for i in catalog if "trade" in str(i).lower() or "credit" in str(i).lower()]
    assert len(wanted) > 20
    for msgid in wanted:
        if msgid in ("Yes", "No"):  # translated in the storefront's catalogue
            continue
        message = catalog[msgid]
        assert message.string and not message.fuzzy, msgid
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(msgid))


@pytest.fixture
def chinese(tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "zh_Hans" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "django.mo").open("wb") as handle:
        write_mo(handle, _catalog())
    with override_settings(LOCALE_PATHS=[tmp_path, *settings.LOCALE_PATHS]):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen")
def test_the_trade_in_page_speaks_chinese(chinese, buyer, model) -> None:  # type: ignore[no-untyped-def]
    t = quoted(buyer, model)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(buyer)
    html = client.get("/account/trade-in/").content.decode()
    assert "获取报价" in html and "能否开机并正常使用" in html
    html = client.get(f"/account/trade-in/{t.public_id}/").content.decode()
    assert "接受报价" in html and "我们的报价" in html
    assert "暂无购物余额。" in client.get("/account/store-credit/").content.decode()

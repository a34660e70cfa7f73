"""Trust in Simplified Chinese: every string of the trust catalogue is translated with the same
placeholders, and the transparency page comes out in zh-Hans (the catalogue compiled here with
Babel, as scripts/compile-messages does in the build)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client, override_settings

PO = Path(__file__).resolve().parents[2] / "agora/trust/locale/zh_Hans/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalog():  # type: ignore[no-untyped-def]
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh_Hans")


def test_every_trust_string_is_translated_with_its_placeholders() -> None:
    messages = [m for m in _catalog() if m.id]
    assert len(messages) > 100
    for message in messages:
        assert message.string and not message.fuzzy, message.id
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(
            PLACEHOLDER.findall(message.id)
        ), message.id


@pytest.fixture
def chinese(tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "zh_Hans" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "django.mo").open("wb") as handle:
        write_mo(handle, _catalog())
    with override_settings(LOCALE_PATHS=[tmp_path, *settings.LOCALE_PATHS]):
        yield


@pytest.mark.django_db
def test_the_transparency_page_speaks_chinese(chinese) -> None:  # type: ignore[no-untyped-def]
    html = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/transparency/").content.decode()
    assert "透明度报告" in html and "假冒商品" in html

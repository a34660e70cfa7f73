"""The console in Simplified Chinese: every string of the operator catalogue is translated with
the same placeholders, and a page asked for in zh-Hans comes out in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.operator.data import operator

PO = Path(__file__).resolve().parents[2] / "agora/operator/locale/zh_Hans/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _catalog():  # type: ignore[no-untyped-def]
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh_Hans")


def test_every_message_is_translated_with_the_same_placeholders() -> None:
    messages = [m for m in _catalog() if m.id]
    assert len(messages) > 100
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, f"untranslated: {ids[0]!r}"
        wanted = sorted(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            assert sorted(PLACEHOLDER.findall(text)) == wanted, (ids[0], text)


@pytest.mark.django_db
def test_the_sales_page_speaks_chinese(tmp_path: Path) -> None:
    # The build compiles every .po (scripts/compile-messages); here the same Babel call.
    locale_dir = tmp_path / "zh_Hans" / "LC_MESSAGES"
    locale_dir.mkdir(parents=True)
    with (locale_dir / "django.mo").open("wb") as handle:
        write_mo(handle, _catalog())
    with override_settings(LOCALE_PATHS=[tmp_path, *settings.LOCALE_PATHS]):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(operator())
        html = client.get(reverse("admin:operator_sales")).content.decode()
        assert '<html lang="zh-hans"' in html
        assert "平台销售" in html and "按卖家" in html and "已赚佣金" in html
        html = client.get(reverse("admin:index")).content.decode()
        assert "卖家申请" in html and "Agora 运营控制台" in html

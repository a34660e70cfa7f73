"""The agora_format template library: money, dates and catalogue translations per language."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from agora.core.money import Money
from agora.core.templatetags.agora_format import babel_locale, format_money, translated

ROOT = Path(__file__).resolve().parents[2]


def render(source: str, language: str, **context: object) -> str:
    template = engines["django"].from_string("{% load agora_format %}" + source)
    with translation.override(language):
        return template.render(context).strip()


def test_languages_map_to_the_documented_babel_locales():
    assert babel_locale("en") == "en_GB"
    assert babel_locale("zh-hans") == "zh_Hans_CN"
    assert babel_locale("en-us") == "en_GB"  # a regional variant falls back to its language
    assert babel_locale("xx") == "en_GB"


@pytest.mark.parametrize(
    ("language", "money", "expected"),
    [
        ("en", {"amount_minor": 123450, "currency": "EUR", "amount": "1234.50"}, "€1,234.50"),
        ("en", {"amount_minor": 999, "currency": "GBP"}, "£9.99"),
        ("en", {"amount_minor": 8800, "currency": "CNY"}, "CN¥88.00"),
        ("zh-hans", {"amount_minor": 8800, "currency": "CNY"}, "¥88.00"),
        ("zh-hans", {"amount_minor": 1299, "currency": "EUR"}, "€12.99"),
        ("en", {"amount_minor": 500, "currency": "JPY"}, "JP¥500"),  # no minor unit
    ],
)
def test_money_filter_formats_per_language_and_currency(language, money, expected):
    assert render("{{ m|money }}", language, m=money) == expected


def test_money_filter_takes_a_money_object_and_shows_nothing_for_broken_input():
    assert render("{{ m|money }}", "en", m=Money(250, "EUR")) == "€2.50"
    assert render("[{{ m|money }}]", "en", m=None) == "[]"
    assert render("[{{ m|money }}]", "en", m={"amount_minor": 1, "currency": "XXQ"}) == "[]"
    assert format_money({"amount_minor": "12", "currency": "EUR"}, "en") == "€0.12"


def test_local_date_and_datetime_follow_the_language():
    day = date(2026, 3, 12)
    assert render("{{ d|local_date }}", "en", d=day) == "12 Mar 2026"
    assert render("{{ d|local_date }}", "zh-hans", d=day) == "2026年3月12日"
    assert render('{{ d|local_date:"long" }}', "en", d=day) == "12 March 2026"
    moment = datetime(2026, 3, 12, 14, 5, tzinfo=UTC)
    assert render("{{ t|local_datetime }}", "en", t=moment) == "12 Mar 2026, 14:05:00"
    assert render("{{ t|local_datetime }}", "zh-hans", t=moment) == "2026年3月12日 14:05:00"
    assert render("[{{ t|local_datetime }}]", "en", t=None) == "[]"


def test_tr_picks_the_field_translation_and_falls_back_to_the_original():
    product = {
        "title": "Celadon bowl",
        "description": "A bowl.",
        "translations": {"zh-hans": {"title": "青瓷碗", "description": "  "}},
    }
    assert render('{{ p|tr:"title" }}', "zh-hans", p=product) == "青瓷碗"
    assert render('{% tr p "title" %}', "zh-hans", p=product) == "青瓷碗"
    assert render('{{ p|tr:"title" }}', "en", p=product) == "Celadon bowl"
    # a blank translation is not a translation: the original shows
    assert render('{{ p|tr:"description" }}', "zh-hans", p=product) == "A bowl."
    assert translated({"name": "Tea"}, "name", "zh-hans") == "Tea"
    assert translated(None, "name") == ""


@pytest.mark.django_db
def test_tr_reads_model_instances_too():
    from agora.catalog.models import Category

    category = Category(name="Tea", slug="tea", translations={"zh-hans": {"name": "茶"}})
    assert translated(category, "name", "zh-hans") == "茶"
    assert translated(category, "name", "en") == "Tea"


def test_compile_messages_builds_a_mo_that_gettext_reads(tmp_path):
    po = tmp_path / "app" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n'
        '"Content-Type: text/plain; charset=utf-8\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        'msgid "Cart"\nmsgstr "购物车"\n\n'
        'msgid "%(n)s item"\nmsgid_plural "%(n)s items"\nmsgstr[0] "%(n)s 件"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    script = str(ROOT / "scripts" / "compile-messages")
    done = subprocess.run([sys.executable, script, str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    import gettext

    with (po.with_suffix(".mo")).open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext("Cart") == "购物车"
    assert catalog.ngettext("%(n)s item", "%(n)s items", 3) == "%(n)s 件"


def test_compile_messages_stops_on_a_broken_catalogue(tmp_path):
    po = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "Cart"\nmsgstr "购物车"\nmsgtxt "typo"\n', encoding="utf-8")
    script = str(ROOT / "scripts" / "compile-messages")
    done = subprocess.run([sys.executable, script, str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "django.po" in done.stderr
    assert not po.with_suffix(".mo").exists()


def test_country_codes_read_as_names_in_the_visitors_language() -> None:
    from django.utils import translation

    from agora.core.templatetags.agora_format import country_name

    with translation.override("en"):
        assert country_name("DE") == "Germany" and country_name("gb") == "United Kingdom"
    with translation.override("zh-hans"):
        assert country_name("DE") == "德国"
    assert country_name("") == "" and country_name("QQ") == "QQ"

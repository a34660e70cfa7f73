"""The rate source: our built-in table agrees with the shared ibericode file; the file is used
when present and the table when not; the operator's rows override both."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings

from agora.checkout.models import TaxRate
from agora.checkout.tax import source
from agora.checkout.tax.compute import TaxLine, compute_tax
from agora.checkout.tax.rates import BUILTIN, EU_MEMBER_STATES
from agora.checkout.tax.runtime import rate_table, tax_seed
from tests.conftest import SYSTEM
from tests.helpers import shared_data, skip_without

TAX_DIR = shared_data("tax")


@skip_without(TAX_DIR)
def test_builtin_table_matches_the_shared_file() -> None:
    """If this fails, the source published new rates: update rates.py (and reseed)."""
    data = json.loads((TAX_DIR / "vat-rates.json").read_text(encoding="utf-8"))
    from_file = source.parse_rates_file(data, on=date.today())
    assert set(from_file) == set(BUILTIN)
    for country, entry in BUILTIN.items():
        theirs = from_file[country]
        assert dict(entry.rates) == dict(theirs.rates), country
        assert entry.effective_from == theirs.effective_from, country
        assert entry.exceptions == theirs.exceptions, country
    assert set(BUILTIN) >= EU_MEMBER_STATES


def test_file_is_used_when_present_and_builtin_when_missing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = {"items": {"DE": [{"effective_from": "2020-01-01", "rates": {"standard": 16}}]}}
    path = tmp_path / "vat-rates.json"
    path.write_text(json.dumps(doc))
    try:
        with override_settings(AGORA_VAT_RATES_FILE=str(path)):
            assert source.reload_source().kind == "file"
            assert source.source_table()["DE"].rates["standard"] == Decimal(16)
        with override_settings(AGORA_VAT_RATES_FILE=str(tmp_path / "missing.json")):
            used = source.reload_source()
            assert used.kind == "builtin" and "5abb1e1" in used.detail
            assert source.source_table() is BUILTIN
    finally:
        source.reload_source()


@pytest.mark.django_db
def test_seed_then_operator_edit_is_used_at_runtime(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("tax", "seed")
    assert "rows written" in capsys.readouterr().out
    assert TaxRate.objects.filter(country="ES", name="Canary Islands", rate=0).exists()
    count, _ = tax_seed(actor=SYSTEM)
    assert count == 0  # idempotent
    row = TaxRate.objects.get(country="DE", category="standard", postcode_pattern="")
    row.rate = Decimal("16.000")
    row.save()
    table = rate_table(countries={"DE"})
    result = compute_tax(
        lines=[TaxLine("a", 1000, 1)],
        currency="EUR",
        seller_country="DE",
        country="DE",
        prices_include_tax=False,
        table=table,
    )
    assert result.tax_minor == 160
    assert table["DE"].exception_for("27498") is not None  # exceptions come from rows too

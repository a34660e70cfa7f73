"""The label rules over plain passport data: figures a buyer can redo by hand."""

from __future__ import annotations

from agora.sustainability.labels import rules


def test_recycled_content_is_weighted_by_share() -> None:
    # 60 % x 80 % recycled + 40 % x 10 % recycled = 48 + 4 = 52 % of the product.
    result = rules.recycled_content(
        {
            "materials": [
                {"name": "steel", "share_percent": 60, "recycled_percent": 80},
                {"name": "rubber", "share_percent": 40, "recycled_percent": 10},
            ]
        }
    )
    assert result.holds
    assert result.figures["recycled_percent"] == "52.0"
    assert result.figures["threshold_percent"] == "50"


def test_recycled_content_below_threshold_and_without_materials() -> None:
    below = rules.recycled_content(
        {"materials": [{"name": "clay", "share_percent": 94, "recycled_percent": 15},
                       {"name": "glaze", "share_percent": 6, "recycled_percent": 0}]}
    )  # fmt: skip
    assert not below.holds
    assert below.figures["recycled_percent"] == "14.1"
    assert "below" in below.summary
    assert not rules.recycled_content({"materials": []}).holds
    assert not rules.recycled_content({"materials": [{"name": "x"}]}).holds


def test_repairable_needs_years_and_repair_information() -> None:
    ok = rules.repairable({"spare_parts_years": 10, "repair_text": "Send it to us."})
    assert ok.holds and ok.figures["spare_parts_years"] == 10
    assert not rules.repairable({"spare_parts_years": 5, "repair_text": "yes"}).holds
    assert not rules.repairable({"spare_parts_years": 10, "repair_text": ""}).holds
    assert not rules.repairable({"repair_url": "https://example.org"}).holds
    assert rules.repairable({"spare_parts_years": 7, "repair_url": "https://e.org/r"}).holds


def test_unknown_rule_never_holds() -> None:
    assert not rules.evaluate("made_up", {"spare_parts_years": 99}).holds


def test_low_carbon_delivery_needs_enough_deliveries_and_the_share() -> None:
    # 9 of 10 deliveries low-carbon: 90.0 % over the minimum of 10.
    ok = rules.low_carbon_delivery({"deliveries": {"count": 10, "low_carbon": 9}})
    assert ok.holds and ok.figures["low_carbon_percent"] == "90.0"
    # all 9 low-carbon, but fewer than the 10 deliveries the rule needs.
    few = rules.low_carbon_delivery({"deliveries": {"count": 9, "low_carbon": 9}})
    assert not few.holds and "at least 10" in few.summary
    below = rules.low_carbon_delivery({"deliveries": {"count": 20, "low_carbon": 15}})
    assert not below.holds and below.figures["low_carbon_percent"] == "75.0"
    assert not rules.low_carbon_delivery({}).holds

"""The evaluation protocol: metrics by hand, the row filter, baselines, the command end to end."""

from __future__ import annotations

import json
import math
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from agora.recommendations.engine import evaluate as ev
from agora.recommendations.engine.interactions import Interactions

DATA = Path("/work/shared/data/online-retail/by-day")
HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"


def test_recall_and_ndcg_on_a_hand_computed_example():
    ranked, relevant = ["a", "b", "c", "d"], {"b", "d", "e"}
    assert ev.recall_at_k(ranked, relevant, 3) == pytest.approx(1 / 3)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ev.ndcg_at_k(ranked, relevant, 3) == pytest.approx((1 / math.log2(3)) / ideal)
    assert ev.ndcg_at_k(["b", "d", "e"], relevant, 3) == pytest.approx(1.0)
    figures = ev.score({"u": ranked, "v": ["e"]}, {"u": relevant, "v": {"e"}}, 3)
    assert figures["recall"] == pytest.approx((1 / 3 + 1) / 2)


def _write(folder: Path, name: str, rows: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(HEADER + "".join(row + "\n" for row in rows))


def test_only_purchase_rows_count(tmp_path):
    _write(
        tmp_path,
        "2011-01-04.csv",
        [
            "536365,85123A,HEART,6,2011-01-04 08:26:00,2.55,17850.0,United Kingdom",
            "536366,85123A,HEART,6,2011-01-04 08:26:00,2.55,,United Kingdom",  # no customer
            "C536367,85123A,HEART,-6,2011-01-04 08:26:00,2.55,17850.0,United Kingdom",
            "536368,POST,POSTAGE,1,2011-01-04 08:26:00,18.00,17850.0,United Kingdom",
            "536369,22633,HAND WARMER,0,2011-01-04 08:26:00,1.85,17850.0,United Kingdom",
            "536370,22633,HAND WARMER,3,2011-01-04 08:26:00,0.00,17850.0,United Kingdom",
            "536371,22632,HAND WARMER RED,3,2011-01-04 09:00:00,1.85,13047.0,France",
        ],
    )
    period = ev.read_period(tmp_path)
    assert [(p.user, p.item, p.invoice, p.country) for p in period.purchases] == [
        ("17850", "85123A", "536365", "United Kingdom"),
        ("13047", "22632", "536371", "France"),
    ]
    assert period.item_text == {"85123A": "HEART", "22632": "HAND WARMER RED"}


def test_repeat_baseline_orders_by_invoices_then_recency_then_pads(tmp_path):
    rows = [
        "1,11111,A,1,2011-01-03 10:00:00,1.0,1.0,UK",
        "2,11111,A,1,2011-01-04 10:00:00,1.0,1.0,UK",
        "2,22222,B,1,2011-01-04 10:00:00,1.0,1.0,UK",
        "3,33333,C,1,2011-01-05 10:00:00,1.0,1.0,UK",
        "4,44444,D,1,2011-01-05 10:00:00,1.0,2.0,UK",
        "5,44444,D,1,2011-01-05 10:00:00,1.0,3.0,UK",
    ]
    _write(tmp_path, "d.csv", rows)
    data = Interactions.from_purchases(ev.read_period(tmp_path).purchases)
    assert ev.popularity_ranking(data)[0] == "44444"
    assert ev.repeat_rankings(data, ["1"], 4)["1"] == ["11111", "33333", "22222", "44444"]


def test_the_command_refuses_bad_folders(tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        call_command("recs", "evaluate", "--train", str(tmp_path / "x"), "--test", str(tmp_path))
    _write(tmp_path / "a", "2011-02-01.csv", ["1,11111,A,1,2011-02-01 10:00:00,1.0,1.0,UK"])
    _write(tmp_path / "b", "2011-01-01.csv", ["1,11111,A,1,2011-01-01 10:00:00,1.0,1.0,UK"])
    with pytest.raises(CommandError, match="not after the training period"):
        call_command(
            "recs", "evaluate", "--train", str(tmp_path / "a"), "--test", str(tmp_path / "b")
        )
    with pytest.raises(CommandError, match="--k must be 1 or more"):
        call_command(
            "recs",
            "evaluate",
            "--train",
            str(tmp_path / "b"),
            "--test",
            str(tmp_path / "a"),
            "--k",
            "0",
        )


@pytest.mark.slow
@pytest.mark.skipif(not DATA.is_dir(), reason="the shared Online Retail data is not here")
def test_evaluate_command_on_real_day_files(tmp_path):
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    days = sorted(DATA.glob("2011-0[23]-*.csv"))
    for path in days[:30]:
        (tmp_path / "train").mkdir(exist_ok=True)
        (tmp_path / "train" / path.name).symlink_to(path)
    for path in days[30:42]:
        (tmp_path / "test").mkdir(exist_ok=True)
        (tmp_path / "test" / path.name).symlink_to(path)
    out, err = StringIO(), StringIO()
    call_command(
        "recs",
        "evaluate",
        "--train",
        str(tmp_path / "train"),
        "--test",
        str(tmp_path / "test"),
        "--k",
        "20",
        "--json",
        stdout=out,
        stderr=err,
    )
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert set(result) == {"users", "k", "models", "train_seconds"}
    assert result["k"] == 20 and result["users"] > 50
    assert set(result["models"]) == {"popularity", "repeat", "als", "agora"}
    for figures in result["models"].values():
        assert 0 < figures["recall"] < 1 and 0 < figures["ndcg"] < 1
    assert result["models"]["agora"]["recall"] > result["models"]["popularity"]["recall"]
    assert "agora: ranked users" in err.getvalue()

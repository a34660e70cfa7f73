"""`agora import online-retail DIR [--json]` as a user runs it."""

from __future__ import annotations

import json
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, load_command_class

from agora.imports.online_retail import COLUMNS
from tests.helpers import AGORA

HEADER = ",".join(COLUMNS)
ROWS = [
    "600001,11111,BLUE MUG,6,2011-01-03 09:00:00,2.55,12345.0,United Kingdom",
    "600001,POST,POSTAGE,1,2011-01-03 09:00:00,18.00,12345.0,United Kingdom",
    "600002,22222,RED BOWL,2,2011-01-03 10:00:00,4.00,,United Kingdom",
]


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def day_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "days"
    folder.mkdir(parents=True)
    (folder / "2011-01-03.csv").write_text("\n".join([HEADER, *ROWS]) + "\n")
    return folder


def run(*args: str, stdout: StringIO | None = None) -> tuple[str, str]:
    out, err = stdout or StringIO(), StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_json_prints_the_figures_as_the_last_line(tmp_path):
    out, _ = run("online-retail", str(day_folder(tmp_path)), "--json")
    figures = json.loads(out.strip().splitlines()[-1])
    for key in ("rows", "rows_accepted", "rejected", "invoices", "orders", "new_orders"):
        assert key in figures
    assert {"customers", "products", "seconds"} <= figures.keys()
    assert figures["rows"] == 3 and figures["rows_accepted"] == 2
    assert figures["rejected"] == {"non_product_code": 1}
    assert (figures["invoices"], figures["orders"], figures["new_orders"]) == (2, 2, 2)
    assert (figures["customers"], figures["products"]) == (1, 2)
    assert "\x1b[" not in out  # no progress bar

    again = json.loads(run("online-retail", str(day_folder(tmp_path / "copy")), "--json")[0])
    assert again["new_orders"] == 0 and again["orders"] == 2


@pytest.mark.django_db
def test_a_terminal_gets_a_progress_bar_and_a_summary(tmp_path):
    out, _ = run("online-retail", str(day_folder(tmp_path)), stdout=Terminal())
    assert "2011-01-03.csv" in out  # the bar names the file it is on
    assert "3 rows" in out and "rejected non_product_code" in out


@pytest.mark.django_db
def test_without_a_terminal_there_is_a_summary_and_no_bar(tmp_path):
    out, _ = run("online-retail", str(day_folder(tmp_path)))
    assert "\x1b[" not in out and "━" not in out
    assert out.startswith("1 files, 3 rows")


@pytest.mark.django_db
def test_a_bad_file_is_named_on_stderr_and_fails_the_command(tmp_path):
    folder = day_folder(tmp_path)
    (folder / "2011-01-04.csv").write_bytes(b"PK\x03\x04\x00\x00 a zip file")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"1 file\(s\) could not be imported: 2011-01-04.csv"):
        call_command("import", "online-retail", str(folder), "--json", stdout=out, stderr=err)
    assert "2011-01-04.csv: not an Online Retail CSV file: binary content" in err.getvalue()
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert figures["new_orders"] == 2 and figures["files_failed"] == 1


BAD_INPUT = [
    (lambda tmp: tmp / "missing", "no such directory"),
    (lambda tmp: (tmp / "f.csv").write_text(HEADER) and tmp / "f.csv", "not a directory"),
    (lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", "holds no .csv files"),
]


@pytest.mark.parametrize(("make", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_message(tmp_path, make, message):
    target = make(tmp_path)
    with pytest.raises(CommandError, match=message) as caught:
        run("online-retail", str(target), "--json")
    assert str(target) in str(caught.value)


def test_bad_input_exits_non_zero_with_a_message_on_stderr(tmp_path):
    env = {"AGORA_DATA_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [AGORA, "import", "online-retail", str(tmp_path / "missing"), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"{tmp_path / 'missing'}: no such directory" in result.stderr
    assert result.stdout == ""


def test_help_names_the_source():
    command = load_command_class("agora.imports", "import")
    assert "online-retail" in command.create_parser("agora", "import").format_help()

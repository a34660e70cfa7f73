"""The schema copy is made by the Makefile step that `make run` and `make test` go through."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import shared_data, skip_without

ROOT = Path(__file__).resolve().parents[3]
EPCIS_DIR = shared_data("epcis")
COPY = Path("agora/traceability/epcis/EPCIS-JSON-Schema.json")


def test_run_and_test_reach_the_schema_copy():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^assets:.*\bepcis-schema\b", makefile, re.M)
    assert re.search(r"^run: .*\bassets\b", makefile, re.M)
    assert re.search(r"^test: .*\bassets\b", makefile, re.M)
    assert str(COPY) in (ROOT / ".gitignore").read_text().splitlines()


@skip_without(EPCIS_DIR)
@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_copies_the_schema_from_shared_data(tmp_path):
    (tmp_path / COPY.parent).mkdir(parents=True)
    result = subprocess.run(
        ["make", "-f", str(ROOT / "Makefile"), "epcis-schema", f"SHARED_DATA={EPCIS_DIR.parent}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / COPY).read_bytes() == (EPCIS_DIR / "EPCIS-JSON-Schema.json").read_bytes()
    # Without the shared folder: a warning only, unless the shared data is required (CI).
    (tmp_path / COPY).unlink()
    missing = ["make", "-f", str(ROOT / "Makefile"), "epcis-schema", "SHARED_DATA=/nonexistent"]
    env = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run(missing, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode == 0 and "warning" in result.stderr
    env["AGORA_REQUIRE_SHARED_DATA"] = "1"
    result = subprocess.run(missing, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "is missing" in result.stderr

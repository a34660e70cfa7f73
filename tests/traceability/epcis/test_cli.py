"""``agora epcis validate``: run as a real process, as an auditor would, with exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers import AGORA, shared_data, skip_without
from tests.traceability.epcis.test_validate import minimal

EPCIS_DIR = shared_data("epcis")
pytestmark = skip_without(EPCIS_DIR)


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AGORA, "epcis", "validate", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=120,
    )


def write(tmp_path, doc, name="doc.jsonld"):
    path = tmp_path / name
    path.write_bytes(doc if isinstance(doc, bytes) else json.dumps(doc).encode())
    return path


def test_valid_example_exits_0_with_a_summary():
    result = run(str(EPCIS_DIR / "examples" / "Example_9.6.4-TransformationEvent.jsonld"))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "valid: 1 event (1 TransformationEvent)\n"


def test_valid_document_counts_event_types(tmp_path):
    result = run(str(write(tmp_path, minimal())))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "valid: 2 events (1 ObjectEvent, 1 AggregationEvent)"


def test_invalid_document_exits_1_with_one_line_per_problem(tmp_path):
    doc = minimal()
    doc["epcisBody"]["eventList"][0]["eventTimeZoneOffset"] = "+25:00"
    doc["epcisBody"]["eventList"][1]["childEPCs"] = ["https://id.gs1.org/01/09506000134353/21/1"]
    path = write(tmp_path, doc)
    result = run(str(path))
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 3, lines
    assert lines[0].startswith(f"{path}: event 0 (ObjectEvent, urn:uuid:")
    assert "/epcisBody/eventList/0/eventTimeZoneOffset: [tz-offset]" in lines[0]
    assert "'+25:00'" in lines[0]
    assert "/epcisBody/eventList/1/childEPCs/0: [gtin-check-digit]" in lines[1]
    assert lines[2] == f"{path}: invalid: 2 problems"


def test_json_output(tmp_path):
    doc = minimal()
    doc["epcisBody"]["eventList"][0]["type"] = "FooEvent"
    result = run(str(write(tmp_path, doc)), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["event_count"] == 2
    assert [(p["rule"], p["event_index"], p["path"]) for p in report["problems"]] == [
        ("event-type", 0, "/epcisBody/eventList/0/type")
    ]
    ok = json.loads(run(str(write(tmp_path, minimal(), "ok.json")), "--json").stdout)
    assert ok["ok"] is True and ok["event_types"] == {"ObjectEvent": 1, "AggregationEvent": 1}


def test_bad_bytes_exit_1_naming_the_rule(tmp_path):
    truncated = write(tmp_path, json.dumps(minimal()).encode()[:100], "truncated.json")
    result = run(str(truncated))
    assert result.returncode == 1 and "[json]" in result.stderr and "ends early" in result.stderr
    big = write(tmp_path, b'{"x": "' + b"a" * 11_000_000 + b'"}', "big.json")
    result = run(str(big))
    assert result.returncode == 1 and "[too-large]" in result.stderr
    deep = write(tmp_path, b"[" * 10_000 + b"]" * 10_000, "deep.json")
    result = run(str(deep))
    assert result.returncode == 1 and "[too-deep]" in result.stderr
    assert "Traceback" not in result.stderr


def test_standard_input(tmp_path):
    result = run("-", stdin=json.dumps(minimal()).encode())
    assert result.returncode == 0 and result.stdout.startswith("valid: 2 events")


def test_unreadable_file_or_usage_exits_2(tmp_path):
    result = run(str(tmp_path / "missing.json"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr and "missing.json" in result.stderr
    assert run(str(tmp_path)).returncode == 2  # a directory
    result = run()
    assert result.returncode == 2 and "usage: agora epcis validate" in result.stderr
    assert run("a", "b").returncode == 2


def test_the_command_does_not_load_django():
    code = (
        "import sys; from agora.traceability.epcis import cli; "
        "code = cli.main(['/nonexistent']); "
        "assert 'django' not in sys.modules, 'django imported'; sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2, result.stderr


def test_missing_schema_copy_is_a_clear_error(tmp_path, monkeypatch, capsys):
    from agora.traceability.epcis import cli, schema

    monkeypatch.setattr(schema, "SCHEMA_PATH", tmp_path / "EPCIS-JSON-Schema.json")
    schema.clear_caches()
    try:
        assert cli.main([str(write(tmp_path, minimal()))]) == 2
    finally:
        monkeypatch.undo()
        schema.clear_caches()
    err = capsys.readouterr().err
    assert "EPCIS-JSON-Schema.json is missing" in err and "make" in err

"""EPCIS document validation: events/s and MB/s of ``validate_document`` on large captures.

    .venv/bin/python -m bench.epcis_validate [--sizes 1000,10000] [--rounds 3]

Documents are built from the official examples in ../shared/data/epcis/examples: their events
in turn, each copy given its own eventID and its own serial numbers (so identifier checks are
not all answered from a cache), wrapped in the first example's EPCISDocument header. For each
size, in one process and interleaved round by round:

- **fast**: ``validate_document``, the production path (fastjsonschema event by event, jsonschema
  only for what it refuses, then our rules);
- **baseline**: ``validate_document_reference``, the pure-jsonschema path as first written
  (jsonschema over the whole document, then our rules).

Both must return the same report (checked). A last case breaks one event in the middle of the
largest document, to time a rejection (fast path only; the baseline costs what it does on the
valid document). Figures are medians of ``--rounds``. The schema is compiled before timing; the
compile time of each validator is reported on its own. No Django, no database.

Progress goes to stderr; one JSON object is printed on the last line of stdout.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench._common` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agora.traceability.epcis import schema
from agora.traceability.epcis.validate import (
    Report,
    validate_document,
    validate_document_reference,
)
from bench._common import REPO, emit, log

INSTANCE_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")


def default_examples() -> Path:
    """../shared/data/epcis/examples: $AGORA_SHARED_DATA, beside the checkout, or /work/shared."""
    roots = [os.environ.get("AGORA_SHARED_DATA", ""), REPO.parent / "shared" / "data"]
    roots.append("/work/shared/data")
    found = next((Path(r) for r in roots if r and Path(r).is_dir()), Path(roots[1]))
    return found / "epcis" / "examples"


def example_events(folder: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The first example document (for its header) and every example's events, in file order."""
    paths = sorted(folder.glob("*.jsonld"))
    if not paths:
        raise SystemExit(f"no EPCIS examples in {folder}")
    docs = [json.loads(p.read_bytes()) for p in paths]
    return docs[0], [e for d in docs for e in d["epcisBody"]["eventList"]]


def _serial(value: str, tag: str) -> str:
    """The same identifier with another serial: sgtin EPC URNs and GTIN+serial Digital Links."""
    if value.startswith("urn:epc:id:sgtin:"):
        return value.rsplit(".", 1)[0] + "." + tag
    if value.startswith(("http://", "https://")) and "/21/" in value:
        head, _, rest = value.partition("/21/")
        tail = rest[rest.index("?") :] if "?" in rest else ""
        return f"{head}/21/{tag}{tail}"
    return value


def build(header: dict[str, Any], events: list[dict[str, Any]], count: int) -> bytes:
    doc = copy.deepcopy(header)
    out = []
    for n in range(count):
        event = copy.deepcopy(events[n % len(events)])
        if "eventID" in event:
            event["eventID"] = f"urn:uuid:00000000-0000-4000-8000-{n:012d}"
        for key in INSTANCE_LISTS:
            if isinstance(event.get(key), list):
                event[key] = [_serial(v, f"B{n}x{j}") for j, v in enumerate(event[key])]
        out.append(event)
    doc["epcisBody"]["eventList"] = out
    return json.dumps(doc).encode()


def timed(fn: Any, raw: bytes) -> tuple[float, Report]:
    start = time.perf_counter()
    report = fn(raw, max_bytes=len(raw) + 1)
    return time.perf_counter() - start, report


def figures(seconds: list[float], events: int, size: int) -> dict[str, Any]:
    median = statistics.median(seconds)
    return {
        "seconds": round(median, 3),
        "events_per_s": round(events / median),
        "mb_per_s": round(size / 1e6 / median, 2),
        "per_event_ms": round(median * 1000 / events, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="event counts, comma-separated")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--examples", type=Path, default=default_examples())
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    header, events = example_events(args.examples)
    compile_s = {}
    for name, make in (
        ("jsonschema", schema.validator),
        ("jsonschema_event", schema.event_validator),
        ("fastjsonschema_event", schema.fast_event_check),
    ):
        start = time.perf_counter()
        make()
        compile_s[name] = round(time.perf_counter() - start, 3)
    result: dict[str, Any] = {
        "benchmark": "epcis_validate",
        "python": platform.python_version(),
        "example_events": len(events),
        "rounds": args.rounds,
        "compile_seconds": compile_s,
        "documents": [],
    }
    for count in sizes:
        raw = build(header, events, count)
        log(f"{count:,} events, {len(raw) / 1e6:.1f} MB")
        fast_s: list[float] = []
        base_s: list[float] = []
        same = True
        for round_no in range(args.rounds):
            seconds, fast = timed(validate_document, raw)
            fast_s.append(seconds)
            seconds, base = timed(validate_document_reference, raw)
            base_s.append(seconds)
            same = same and fast.problems == base.problems and fast.events == base.events
            log(f"  round {round_no + 1}: fast {fast_s[-1]:.2f} s, baseline {base_s[-1]:.2f} s")
            if not fast.ok:
                raise SystemExit(f"generated document is invalid: {fast.problems[:3]}")
        fast_fig = figures(fast_s, count, len(raw))
        base_fig = figures(base_s, count, len(raw))
        result["documents"].append(
            {
                "events": count,
                "bytes": len(raw),
                "fast": fast_fig,
                "baseline": base_fig,
                "speedup": round(base_fig["seconds"] / fast_fig["seconds"], 1),
                "same_report": same,
            }
        )

    count = max(sizes)
    doc = json.loads(build(header, events, count))
    doc["epcisBody"]["eventList"][count // 2]["eventTime"] = "2024-05-01T09:30:00"
    raw = json.dumps(doc).encode()
    runs = [timed(validate_document, raw) for _ in range(args.rounds)]
    rules = sorted({(p.rule, p.event_index) for p in runs[0][1].problems})
    log(f"one broken event in {count:,}: {runs[0][0]:.2f} s, problems {rules}")
    result["invalid"] = {
        "events": count,
        "bytes": len(raw),
        "broken_event": count // 2,
        "problems": [list(r) for r in rules],
        "fast": figures([s for s, _ in runs], count, len(raw)),
    }
    emit(result)


if __name__ == "__main__":
    main()

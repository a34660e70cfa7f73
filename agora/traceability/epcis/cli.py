"""``agora epcis validate FILE [--json]``: check an EPCIS 2.0 document offline.

Exit 0 with a one-line summary when the document is valid, 1 with one line per problem on stderr
when it is not, 2 when the file cannot be read or the command is misused. No Django: it runs on a
machine with nothing but the package (an auditor checking a supplier's file).
"""

from __future__ import annotations

import argparse
import json
import sys

from .schema import SchemaMissing
from .validate import MAX_BYTES, validate_document


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agora epcis validate",
        description="Check an EPCIS 2.0 JSON/JSON-LD document against the official schema and "
        "the rules it cannot express (event time and offset, event types, EPC and GS1 Digital "
        "Link identifiers and their check digits).",
    )
    parser.add_argument("file", metavar="FILE", help="the document ('-' reads standard input)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def _read(path: str) -> bytes:
    """At most one byte over the limit: a 50 MB upload is refused without reading it all."""
    if path == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    with open(path, "rb") as handle:
        return handle.read(MAX_BYTES + 1)


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on misuse, 0 for --help
        return int(exc.code or 0)
    try:
        raw = _read(args.file)
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        report = validate_document(raw)
    except SchemaMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    if report.ok:
        if not args.json:
            print(report.summary())
        return 0
    for problem in report.problems:
        print(f"{args.file}: {problem}", file=sys.stderr)
    print(f"{args.file}: {report.summary()}", file=sys.stderr)
    return 1

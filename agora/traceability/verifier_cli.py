"""``agora trace verify BUNDLE [--key VKEY]... [--json]``: check a proof bundle offline.

Runs on a machine with nothing but the package: no Django, no database, no network. Exit codes:
0 verified, 1 the bundle does not verify (reasons on stderr), 2 usage error or unreadable file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from agora.traceability.bundle import MAX_BUNDLE_BYTES, Verdict, verify_bundle

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="agora trace verify",
        description="Check offline that a logged entry is in Agora's transparency log.",
    )
    parser.add_argument("bundle", help="bundle JSON file (from /api/v1/trace/bundle/...), or -")
    parser.add_argument(
        "--key",
        action="append",
        metavar="VKEY",
        help="the log's verifier key (name+hexid+base64), from /api/v1/trace/key; repeatable. "
        "Without it the key inside the bundle is used (trust on first use).",
    )
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK

    try:
        raw = _read(args.bundle)
    except OSError as exc:
        sys.stderr.write(f"agora trace verify: cannot read {args.bundle}: {exc.strerror or exc}\n")
        return EXIT_USAGE

    verdict = verify_bundle(raw, trusted_keys=args.key)
    if args.json:
        sys.stdout.write(json.dumps(verdict.as_dict(), indent=2) + "\n")
    elif verdict.ok:
        sys.stdout.write(_summary(verdict) + "\n")
    for warning in verdict.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    if verdict.ok:
        return EXIT_OK
    if not args.json:
        sys.stderr.write("NOT verified:\n")
    for reason in verdict.reasons:
        sys.stderr.write(f"  - {reason}\n")
    return EXIT_FAILED


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read(MAX_BUNDLE_BYTES + 1)
    with Path(path).open("rb") as handle:
        return handle.read(MAX_BUNDLE_BYTES + 1)


def _summary(verdict: Verdict) -> str:
    return (
        f"verified: entry #{verdict.index} ({verdict.kind} {verdict.ref}) is in the log "
        f"{verdict.origin} at tree size {verdict.tree_size}, signed by {verdict.signer}"
    )

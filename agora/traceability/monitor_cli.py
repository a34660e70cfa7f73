"""``agora trace monitor``: check that the log's new tree head extends the last one seen.

Online:  ``agora trace monitor --log URL --state FILE [--key VKEY]... [--full] [--json]``
Offline: ``agora trace monitor --state FILE --checkpoint FILE --proof FILE [--key VKEY]...``

Exit codes: 0 consistent (state saved when online), 1 the log misbehaved (bad signature,
rewritten history, changed entry, shrunk tree; reasons on stderr, state untouched), 2 usage
error or unreadable state/input files, 3 the log could not be reached or gave an unusable answer.
No Django: it runs on a machine with only the package installed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from agora.traceability.monitor import (
    FetchError,
    HttpFetcher,
    MonitorResult,
    StateError,
    check_log,
    check_offline,
    load_state,
    save_state,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3
MAX_INPUT_BYTES = 10_000_000


def main(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    offline = args.checkpoint is not None or args.proof is not None
    if offline and (args.checkpoint is None or args.proof is None):
        return _usage("offline mode needs both --checkpoint FILE and --proof FILE")
    if offline == (args.log is not None):
        return _usage("give either --log URL, or --checkpoint FILE and --proof FILE")
    state_path = Path(args.state)
    try:
        state = load_state(state_path)
    except StateError as exc:
        return _usage(str(exc))

    if offline:
        if state is None:
            return _usage(
                f"offline mode needs a state file from an earlier run; {state_path} does not exist"
            )
        try:
            signed = _read_text(args.checkpoint)
            proof = json.loads(_read_text(args.proof))
        except (OSError, ValueError) as exc:
            return _usage(f"cannot read the offline inputs: {exc}")
        result = check_offline(
            state=state, checkpoint_note=signed, proof=proof, trusted_keys=args.key
        )
    else:
        fetcher = HttpFetcher(args.log, timeout=args.timeout)
        try:
            result = check_log(fetcher, state=state, trusted_keys=args.key, full=args.full)
        except FetchError as exc:
            sys.stderr.write(f"agora trace monitor: {exc}\n")
            return EXIT_UNREACHABLE
        finally:
            fetcher.close()
        if result.ok and result.state is not None:
            try:
                save_state(state_path, result.state)
            except OSError as exc:
                return _usage(f"cannot save state to {state_path}: {exc.strerror or exc}")
    return _report(result, args, state_path, offline)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agora trace monitor",
        description="Check that Agora's transparency log only ever grows: each signed tree head "
        "must extend the last one seen, and the entries must hash to the signed root.",
    )
    parser.add_argument("--log", metavar="URL", help="the site, e.g. https://shop.example")
    parser.add_argument("--state", metavar="FILE", required=True, help="monitor state (JSON)")
    parser.add_argument(
        "--key",
        action="append",
        metavar="VKEY",
        help="the log's verifier key; repeatable. Default: the key in the state, or on the "
        "first run the key the log publishes (trust on first use).",
    )
    parser.add_argument(
        "--full", action="store_true", help="re-download every entry and recompute the root"
    )
    parser.add_argument("--checkpoint", metavar="FILE", help="offline: a signed checkpoint")
    parser.add_argument(
        "--proof", metavar="FILE", help="offline: consistency proof JSON from the state's size"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="HTTP timeout in seconds")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def _report(
    result: MonitorResult, args: argparse.Namespace, state_path: Path, offline: bool
) -> int:
    if args.json:
        sys.stdout.write(
            json.dumps(
                {
                    "ok": result.ok,
                    "reasons": result.reasons,
                    "warnings": result.warnings,
                    "origin": result.origin,
                    "old_size": result.old_size,
                    "new_size": result.new_size,
                    "entries_checked": result.entries_checked,
                    "state_saved": bool(result.ok and not offline),
                },
                indent=2,
            )
            + "\n"
        )
    for warning in result.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    if not result.ok:
        if not args.json:
            sys.stderr.write("log check FAILED (state not updated):\n")
        for reason in result.reasons:
            sys.stderr.write(f"  - {reason}\n")
        return EXIT_FAILED
    if not args.json:
        if offline:
            sys.stdout.write(
                f"consistent: the checkpoint of log {result.origin} at tree size "
                f"{result.new_size} extends the head of size {result.old_size} in {state_path} "
                "(offline: the state is not advanced)\n"
            )
        else:
            sys.stdout.write(
                f"consistent: log {result.origin} at tree size {result.new_size} extends the "
                f"head of size {result.old_size}; {result.entries_checked} entries hashed to the "
                f"signed root; state saved to {state_path}\n"
            )
    return EXIT_OK


def _read_text(path: str) -> str:
    with Path(path).open("rb") as handle:
        raw = handle.read(MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:
        raise ValueError(f"{path} is larger than {MAX_INPUT_BYTES} bytes")
    return raw.decode("utf-8")


def _usage(message: str) -> int:
    sys.stderr.write(f"agora trace monitor: {message}\n")
    return EXIT_USAGE

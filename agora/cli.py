"""The ``agora`` command: Agora's own sub-commands plus every Django management command."""

from __future__ import annotations

import importlib
import os
import sys

SUMMARY = """usage: agora <command> [options]   (agora <command> --help for each)

Agora's commands:
  serve        serve the site and API (ASGI, several processes) with the worker and scheduler
  migrate      create or update the database tables
  demo         build the demo store (idempotent; --if-empty to skip a used database)
  worker       run background tasks (outbox dispatch, webhooks, imports)
  scheduler    enqueue periodic jobs when they are due
  import       import data, e.g. `agora import online-retail DIR [--json]`
  check        check settings, database and broker reachability
  outbox       show pending and failing event deliveries; retry parked ones
  apikey       issue, list and revoke API keys for a seller
  search       rebuild the search index (`agora search reindex`) or try a query
  epcis        `agora epcis validate FILE`: check an EPCIS 2.0 document (offline)
  trace        `agora trace verify BUNDLE`, `agora trace monitor`: check the transparency log
  audit        `agora audit prices [--json]`: prove every buyer is quoted the same prices
  retention    delete or pseudonymise data past its retention period (--dry-run, --json)

Every Django management command is available too (`agora help --commands`).
Environment: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, AGORA_DATA_DIR, AGORA_BROKER_URL.
"""


# Commands that must work on a machine with nothing but the package: a buyer or auditor checks
# a downloaded bundle without our database, settings or network. They run before Django loads.
OFFLINE = {
    ("epcis", "validate"): "agora.traceability.epcis.cli",
    ("trace", "verify"): "agora.traceability.verifier_cli",
    ("trace", "monitor"): "agora.traceability.monitor_cli",
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        sys.stdout.write(SUMMARY)
        return
    offline = OFFLINE.get(tuple(args[:2]))
    if offline:
        sys.exit(importlib.import_module(offline).main(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["agora", *args])
    except ImproperlyConfigured as exc:  # a bad environment variable: one line, not a traceback
        sys.stderr.write(f"agora: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()

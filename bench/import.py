"""The Online Retail import: the whole shared data set into a fresh database.

    .venv/bin/python -m bench.import [--data DIR] [--database-url postgres://…/db] [--no-rerun]

Steps: a fresh database (SQLite in a temporary AGORA_DATA_DIR, or the PostgreSQL database named
by --database-url), ``agora migrate``, then ``agora import online-retail DIR --json`` as a
separate process, timed from start to exit (Django start-up included), with its peak resident
memory (``wait4``). Unless --no-rerun, the same import runs a second time, which must create
nothing (``new_orders`` 0).

The baseline, in the same run: every file parsed with the csv module and its rows inserted with
``executemany`` into a plain table (no indexes, no constraints), one commit per file, through
sqlite3 with the pragmas Agora's settings give SQLite (WAL, synchronous=NORMAL) — or through
psycopg into an ordinary table of the same PostgreSQL database. ``ratio`` is the
baseline's rows/s over the importer's: how many times faster the bare database takes the same
rows than the importer turns them into products, buyers, orders, prices and returns.

``cpu_seconds`` (user + system time of the import process, and of the baseline) is there
because wall time on a shared machine moves with the neighbours; on SQLite all the database
work is in that process, on PostgreSQL the server's share is not in it.

The one JSON object on the last line of stdout holds the figures; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench._common` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    REPO,
    agora_command,
    agora_env,
    data_dir,
    database_kind,
    emit,
    log,
    postgres_prepare,
    run_agora,
)

DEFAULT_DATA = (
    next(
        (
            p
            for p in (
                Path(os.environ.get("AGORA_SHARED_DATA", REPO.parent / "shared" / "data")),
                Path("/work/shared/data"),
            )
            if p.is_dir()
        ),
        REPO.parent / "shared" / "data",
    )
    / "online-retail"
    / "by-day"
)


def timed_import(directory: Path, env: dict[str, str]) -> dict[str, Any]:
    """Runs the importer as its own process; returns its JSON figures plus wall time and peak
    memory of that process."""
    cmd = [*agora_command(), "import", "online-retail", str(directory), "--json"]
    log("running " + " ".join(cmd[-4:]))
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"agora import exited with {proc.returncode}")
    figures = json.loads(output.strip().splitlines()[-1])
    figures["wall_seconds"] = wall
    figures["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    figures["max_rss_mb"] = round(usage.ru_maxrss / 1024, 1)  # Linux reports KiB
    return figures


def baseline_rows(directory: Path):  # type: ignore[no-untyped-def]
    """Yields (file, rows) with every row of every file, parsed by the csv module."""
    for path in sorted(directory.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            yield (
                path,
                [
                    (inv, code, desc, int(qty), date, price, cust or None, country)
                    for inv, code, desc, qty, date, price, cust, country in reader
                ],
            )


CREATE = (
    "CREATE TABLE raw_rows (id INTEGER PRIMARY KEY, invoice TEXT, stock_code TEXT, "
    "description TEXT, quantity INTEGER, invoice_date TEXT, unit_price TEXT, customer TEXT, "
    "country TEXT)"
)
INSERT_COLUMNS = (
    "(invoice, stock_code, description, quantity, invoice_date, unit_price, customer, country)"
)


def baseline_sqlite(directory: Path, database: Path) -> tuple[int, float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(CREATE)
    sql = f"INSERT INTO raw_rows {INSERT_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    count = 0
    for _, rows in baseline_rows(directory):
        conn.execute("BEGIN")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
        count += len(rows)
    conn.close()
    return count, time.perf_counter() - started, time.process_time() - cpu


def baseline_postgres(directory: Path, database_url: str) -> tuple[int, float, float]:
    import psycopg

    started, cpu = time.perf_counter(), time.process_time()
    count = 0
    with psycopg.connect(database_url) as conn:
        conn.execute("DROP TABLE IF EXISTS raw_rows")
        conn.execute(CREATE.replace("id INTEGER PRIMARY KEY", "id BIGSERIAL PRIMARY KEY"))
        conn.commit()
        sql = f"INSERT INTO raw_rows {INSERT_COLUMNS} VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        for _, rows in baseline_rows(directory):
            with conn.cursor() as cursor:
                cursor.executemany(sql, rows)
            conn.commit()
            count += len(rows)
        conn.execute("DROP TABLE raw_rows")
        conn.commit()
    return count, time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of day files")
    parser.add_argument("--database-url", default=None, help="PostgreSQL instead of SQLite")
    parser.add_argument("--recreate", action="store_true", help="drop the PostgreSQL db first")
    parser.add_argument("--no-rerun", action="store_true", help="skip the idempotent re-run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"--data {args.data}: no such directory")
    kind = database_kind(args.database_url)
    if kind == "postgresql":
        postgres_prepare(args.database_url, recreate=args.recreate)

    with data_dir(keep=args.keep) as tmp:
        env = agora_env(tmp, args.database_url)
        log("migrating a fresh database")
        run_agora(["migrate", "--noinput", "-v", "0"], env)
        first = timed_import(args.data, env)
        log(f"import: {first['rows']} rows in {first['wall_seconds']:.1f} s")
        rerun = None if args.no_rerun else timed_import(args.data, env)
        log("baseline: csv module + executemany into a plain table, a commit per file")
        if kind == "postgresql":
            base_rows, base_seconds, base_cpu = baseline_postgres(args.data, args.database_url)
        else:
            base_rows, base_seconds, base_cpu = baseline_sqlite(args.data, tmp / "baseline.sqlite3")

    if base_rows != first["rows"]:
        raise SystemExit(f"baseline read {base_rows} rows, the importer {first['rows']}")
    rows_per_s = first["rows"] / first["wall_seconds"]
    base_per_s = base_rows / base_seconds
    result: dict[str, Any] = {
        "benchmark": "import_online_retail",
        "database": kind,
        "files": first["files"],
        "rows": first["rows"],
        "rows_per_s": round(rows_per_s),
        "seconds": round(first["wall_seconds"], 2),
        "importer_seconds": first["seconds"],
        "cpu_seconds": round(first["cpu_seconds"], 2),  # of the import process; not the server
        "rows_per_cpu_s": round(first["rows"] / first["cpu_seconds"]),
        "max_rss_mb": first["max_rss_mb"],
        "rows_accepted": first["rows_accepted"],
        "rejected": first["rejected"],
        "invoices": first["invoices"],
        "orders": first["orders"],
        "new_orders": first["new_orders"],
        "customers": first["customers"],
        "products": first["products"],
        "price_changes": first["new_price_changes"],
        "return_lines": first["new_return_lines"],
        "baseline": {
            "what": "csv module + executemany into a plain table, one commit per file",
            "rows_per_s": round(base_per_s),
            "seconds": round(base_seconds, 2),
            "cpu_seconds": round(base_cpu, 2),
        },
        "ratio": round(base_per_s / rows_per_s, 2),
    }
    if rerun is not None:
        result["rerun"] = {
            "seconds": round(rerun["wall_seconds"], 2),
            "cpu_seconds": round(rerun["cpu_seconds"], 2),
            "rows_per_s": round(rerun["rows"] / rerun["wall_seconds"]),
            "new_orders": rerun["new_orders"],
            "max_rss_mb": rerun["max_rss_mb"],
        }
    emit(result)


if __name__ == "__main__":
    main()

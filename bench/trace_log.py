"""The transparency log: appends per second, and proofs at a million entries.

    .venv/bin/python -m bench.trace_log [--entries 1000000] [--database-url postgres://…/db]

Steps, on a fresh database (SQLite in a temporary AGORA_DATA_DIR, or the PostgreSQL database
named by --database-url), in one process with Django set up:

1. **Appends.** The first ``--throughput-entries`` entries (EPCIS-event-like canonical JSON of
   about 300 bytes) go through ``log_append`` in batches of ``--batch`` (1,000), one transaction
   each — the service path: validation, leaf hashes, the head-row lock, the peaks read, the
   bulk inserts of entries and of every completed subtree hash.
   *Baseline*, in the same run and interleaved with it in rounds: the same rows (index, kind,
   ref, data, leaf hash computed with hashlib, time) inserted with ``executemany`` through the
   raw driver connection into a plain table of the same shape, one transaction a batch — the
   bare database taking the entries without the tree.
2. **Fill.** ``log_append`` again, in batches of ``--fill-batch`` (20,000), up to ``--entries``;
   then a checkpoint is signed.
3. **Proofs at that size.** ``--proofs`` inclusion proofs (random index, tree size the full log
   or a random size in its upper half, so the ragged right edge is exercised) and as many
   consistency proofs (random old size), each from stored subtree hashes through the selectors,
   each checked with ``merkle.verify_*`` against roots computed independently.
   *Baseline*, in the same run: read every entry back and compute the same proofs with
   ``merkle.inclusion_proof`` / ``consistency_proof`` over all the leaves (a full rehash), as a
   log without stored subtrees must; the proofs must be identical.

Progress goes to stderr; one JSON object is printed on the last line of stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench._common` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    agora_env,
    data_dir,
    database_kind,
    emit,
    log,
    postgres_prepare,
    run_agora,
)

SEED = 20261126
KIND = "epcis.event"


def entry_data(i: int) -> bytes:
    """An ObjectEvent-like record as RFC 8785 canonical JSON (sorted keys, no spaces, only
    ASCII strings and integers, so the %-template is already canonical)."""
    serial = 100000 + i
    return (
        b'{"action":"OBSERVE","bizLocation":{"id":"urn:epc:id:sgln:4012345.00001.0"},'
        b'"bizStep":"shipping","disposition":"in_transit",'
        b'"epcList":["urn:epc:id:sgtin:4012345.011111.%d"],'
        b'"eventID":"ni:///sha-256;%s?ver=CBV2.0","eventTime":"2026-11-%02dT%02d:%02d:%02d.000Z",'
        b'"eventTimeZoneOffset":"+01:00","readPoint":{"id":"urn:epc:id:sgln:4012345.00001.%d"},'
        b'"type":"ObjectEvent"}'
        % (
            serial,
            hashlib.sha256(b"%d" % i).hexdigest().encode(),
            1 + i % 28,
            i // 3600 % 24,
            i // 60 % 60,
            i % 60,
            i % 7,
        )
    )


def records(start: int, end: int) -> list[Any]:
    from agora.traceability.log.services import LogRecord

    return [LogRecord(KIND, f"evt-{i}", entry_data(i)) for i in range(start, end)]


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- 1. appends ------------------------------------------------------------------------------


def append_round(start: int, count: int, batch: int) -> tuple[float, float]:
    """``count`` entries through log_append, ``batch`` per transaction; (wall, cpu) seconds.
    The records are built before the clock starts: what a caller has in hand."""
    from django.db import transaction

    from agora.traceability.log.services import log_append

    batches = [
        records(s, min(s + batch, start + count)) for s in range(start, start + count, batch)
    ]
    t0, c0 = time.perf_counter(), cpu()
    for chunk in batches:
        with transaction.atomic():
            log_append(entries=chunk)
    return time.perf_counter() - t0, cpu() - c0


RAW_TABLE = "bench_raw_entry"


def raw_setup(kind: str) -> None:
    from django.db import connection

    blob = "bytea" if kind == "postgresql" else "blob"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        cursor.execute(
            f"CREATE TABLE {RAW_TABLE} (idx bigint PRIMARY KEY, kind varchar(64) NOT NULL, "
            f"ref varchar(512) NOT NULL, data {blob} NOT NULL, leaf_hash {blob} NOT NULL, "
            "logged_at varchar(40) NOT NULL)"
        )


def raw_round(start: int, count: int, batch: int, kind: str) -> tuple[float, float]:
    """The same rows through the bare driver (``executemany``), one transaction a batch."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    mark = "?" if kind == "sqlite" else "%s"
    sql = f"INSERT INTO {RAW_TABLE} VALUES ({', '.join([mark] * 6)})"
    batches = [
        [(i, KIND, f"evt-{i}", entry_data(i)) for i in range(s, min(s + batch, start + count))]
        for s in range(start, start + count, batch)
    ]
    now = "2026-11-26T00:00:00+00:00"
    t0, c0 = time.perf_counter(), cpu()
    for chunk in batches:
        rows = [
            (i, k, ref, data, hashlib.sha256(b"\x00" + data).digest(), now)
            for i, k, ref, data in chunk
        ]
        cur = raw.cursor()
        if kind == "sqlite":
            cur.execute("BEGIN IMMEDIATE")
        cur.executemany(sql, rows)
        raw.commit()
        cur.close()
    return time.perf_counter() - t0, cpu() - c0


def measure_appends(total: int, batch: int, rounds: int, kind: str) -> dict[str, Any]:
    raw_setup(kind)
    per_round = total // rounds
    ours = {"wall": 0.0, "cpu": 0.0, "rates": []}
    base = {"wall": 0.0, "cpu": 0.0, "rates": []}
    for r in range(rounds):
        start = r * per_round
        wall, used = append_round(start, per_round, batch)
        ours["wall"] += wall
        ours["cpu"] += used
        ours["rates"].append(round(per_round / wall))
        wall, used = raw_round(start, per_round, batch, kind)
        base["wall"] += wall
        base["cpu"] += used
        base["rates"].append(round(per_round / wall))
        log(
            f"appends round {r + 1}/{rounds}: log_append {ours['rates'][-1]:,}/s, "
            f"raw executemany {base['rates'][-1]:,}/s"
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {RAW_TABLE}")
    entries = per_round * rounds
    log_rate = entries / ours["wall"]
    raw_rate = entries / base["wall"]
    return {
        "entries": entries,
        "batch": batch,
        "log_append": {
            "entries_per_s": round(log_rate),
            "by_round": ours["rates"],
            "cpu_seconds": round(ours["cpu"], 2),
            "wall_seconds": round(ours["wall"], 2),
        },
        "baseline_raw_insert": {
            "what": "same entry rows, executemany into a plain table, no subtree hashes",
            "entries_per_s": round(raw_rate),
            "by_round": base["rates"],
            "cpu_seconds": round(base["cpu"], 2),
            "wall_seconds": round(base["wall"], 2),
        },
        "ratio": round(log_rate / raw_rate, 3),
    }


# --- 2. fill ---------------------------------------------------------------------------------


def fill(start: int, end: int, batch: int) -> dict[str, Any]:
    from django.db import transaction

    from agora.traceability.log.services import log_append

    t0 = time.perf_counter()
    built = 0.0
    for s in range(start, end, batch):
        b0 = time.perf_counter()
        chunk = records(s, min(s + batch, end))
        built += time.perf_counter() - b0
        with transaction.atomic():
            log_append(entries=chunk)
        if (s // batch) % 10 == 0:
            log(f"fill: {min(s + batch, end):,} of {end:,}")
    wall = time.perf_counter() - t0 - built
    return {
        "entries": end - start,
        "batch": batch,
        "entries_per_s": round((end - start) / wall) if wall else None,
        "wall_seconds": round(wall, 1),
    }


# --- 3. proofs -------------------------------------------------------------------------------


def stats_ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
    }


def measure_proofs(size: int, count: int, baseline_proofs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agora.traceability import merkle
    from agora.traceability.log import selectors

    rng = random.Random(SEED)
    sizes = [size] * (count // 2) + [
        rng.randint(size // 2, size) for _ in range(count - count // 2)
    ]
    roots = {n: selectors.root_hash(tree_size=n) for n in set(sizes)}
    inclusion_t: list[float] = []
    inclusion_n: list[int] = []
    inclusion_cases = []
    for tree_size in sizes:
        index = rng.randrange(tree_size)
        t0 = time.perf_counter()
        proof = selectors.inclusion_proof(index=index, tree_size=tree_size)
        inclusion_t.append(time.perf_counter() - t0)
        inclusion_n.append(len(proof))
        leaf = merkle.leaf_hash(entry_data(index))
        if not merkle.verify_inclusion(leaf, index, tree_size, proof, roots[tree_size]):
            raise SystemExit(f"inclusion proof of {index} in {tree_size} does not verify")
        inclusion_cases.append((index, tree_size, proof))
    consistency_t: list[float] = []
    consistency_n: list[int] = []
    consistency_cases = []
    for _ in range(count):
        old = rng.randrange(1, size)
        roots.setdefault(old, selectors.root_hash(tree_size=old))
        t0 = time.perf_counter()
        proof = selectors.consistency_proof(first=old, second=size)
        consistency_t.append(time.perf_counter() - t0)
        consistency_n.append(len(proof))
        if not merkle.verify_consistency(old, size, roots[old], roots[size], proof):
            raise SystemExit(f"consistency proof {old} -> {size} does not verify")
        consistency_cases.append((old, proof))
    with CaptureQueriesContext(connection) as queries:
        selectors.inclusion_proof(index=size // 3, tree_size=size)
    node_queries = sum("trace_log_node" in q["sql"] for q in queries.captured_queries)

    log(f"baseline: reading {size:,} entries back for the full rehash")
    from agora.traceability.models import LogEntry

    t0 = time.perf_counter()
    leaves = [
        bytes(d)
        for d in LogEntry.objects.order_by("index")
        .values_list("data", flat=True)
        .iterator(chunk_size=20000)
    ]
    read_seconds = time.perf_counter() - t0
    full_inclusion: list[float] = []
    for index, tree_size, proof in [c for c in inclusion_cases if c[1] == size][:baseline_proofs]:
        t0 = time.perf_counter()
        expected = merkle.inclusion_proof(leaves[:tree_size], index)
        full_inclusion.append(time.perf_counter() - t0)
        if expected != proof:
            raise SystemExit(f"stored inclusion proof of {index} differs from the full rehash")
        log(f"baseline inclusion proof: {full_inclusion[-1]:.2f} s")
    full_consistency: list[float] = []
    for old, proof in consistency_cases[:baseline_proofs]:
        t0 = time.perf_counter()
        expected = merkle.consistency_proof(leaves, old)
        full_consistency.append(time.perf_counter() - t0)
        if expected != proof:
            raise SystemExit(f"stored consistency proof {old} differs from the full rehash")
        log(f"baseline consistency proof: {full_consistency[-1]:.2f} s")
    t0 = time.perf_counter()
    full_root = merkle.root(leaves)
    root_seconds = time.perf_counter() - t0
    if full_root != roots[size]:
        raise SystemExit("the stored root differs from the full rehash")
    del leaves

    inc_ms = statistics.median(inclusion_t)
    con_ms = statistics.median(consistency_t)
    return {
        "tree_size": size,
        "inclusion": {
            "proofs": len(inclusion_t),
            "hashes_max": max(inclusion_n),
            "hashes_median": statistics.median(inclusion_n),
            "bytes_max": 32 * max(inclusion_n),
            **stats_ms(inclusion_t),
            "node_queries_per_proof": node_queries,
        },
        "consistency": {
            "proofs": len(consistency_t),
            "hashes_max": max(consistency_n),
            "hashes_median": statistics.median(consistency_n),
            "bytes_max": 32 * max(consistency_n),
            **stats_ms(consistency_t),
        },
        "baseline_full_rehash": {
            "what": "every entry read back, merkle.inclusion_proof / consistency_proof over all",
            "read_entries_seconds": round(read_seconds, 2),
            "inclusion_seconds": [round(s, 2) for s in full_inclusion],
            "consistency_seconds": [round(s, 2) for s in full_consistency],
            "root_seconds": round(root_seconds, 2),
            "proofs_identical": True,
        },
        "speedup_inclusion": round(statistics.median(full_inclusion) / inc_ms)
        if full_inclusion
        else None,
        "speedup_consistency": round(statistics.median(full_consistency) / con_ms)
        if full_consistency
        else None,
    }


def storage(kind: str, data: Path) -> dict[str, Any]:
    from django.db import connection

    if kind == "sqlite":
        files = list(data.glob("agora.sqlite3*"))
        return {"database_file_mb": round(sum(f.stat().st_size for f in files) / 2**20, 1)}
    with connection.cursor() as cursor:
        sizes = {}
        for table in ("trace_log_entry", "trace_log_node"):
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            sizes[f"{table}_mb"] = round(cursor.fetchone()[0] / 2**20, 1)
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="log size for proofs")
    parser.add_argument("--throughput-entries", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000, help="entries per append transaction")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved append rounds")
    parser.add_argument("--fill-batch", type=int, default=20_000)
    parser.add_argument("--proofs", type=int, default=200, help="proofs of each kind")
    parser.add_argument("--baseline-proofs", type=int, default=2, help="full-rehash proofs")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--recreate", action="store_true", help="drop the PostgreSQL db first")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    if args.throughput_entries > args.entries:
        raise SystemExit("--throughput-entries must not exceed --entries")
    kind = database_kind(args.database_url)
    if kind == "postgresql":
        postgres_prepare(args.database_url, recreate=args.recreate)
    load_before = round(os.getloadavg()[0], 2)
    with data_dir(keep=args.keep) as data:
        env = agora_env(data, args.database_url)
        run_agora(["migrate", "-v", "0"], env)
        os.environ.update(env)
        import django

        django.setup()
        from agora.traceability.log.services import checkpoint_sign

        log(f"appends: {args.throughput_entries:,} entries in batches of {args.batch:,}")
        appends = measure_appends(args.throughput_entries, args.batch, args.rounds, kind)
        done = appends["entries"]
        log(f"fill: up to {args.entries:,} entries in batches of {args.fill_batch:,}")
        filled = fill(done, args.entries, args.fill_batch)
        t0 = time.perf_counter()
        signed = checkpoint_sign()
        sign_ms = (time.perf_counter() - t0) * 1000
        assert signed is not None and signed.size == args.entries
        log(f"proofs at {args.entries:,} entries")
        proofs_result = measure_proofs(args.entries, args.proofs, args.baseline_proofs)
        disk = storage(kind, data)
    emit(
        {
            "benchmark": "trace_log",
            "database": kind,
            "command": " ".join(["python -m bench.trace_log", *sys.argv[1:]]),
            "appends": appends,
            "fill": filled,
            "checkpoint_sign_ms": round(sign_ms, 2),
            "proofs": proofs_result,
            "storage": disk,
            "machine": {
                "cpus": os.cpu_count(),
                "loadavg_1m_before": load_before,
                "loadavg_1m_after": round(os.getloadavg()[0], 2),
            },
        }
    )


if __name__ == "__main__":
    main()

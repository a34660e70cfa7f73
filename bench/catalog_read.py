"""Catalogue reads: the public product list and detail over HTTP, against the same SQL run
straight through the database driver in the same run.

    .venv/bin/python -m bench.catalog_read [--products 100000] [--database-url postgres://…/db]

Steps: a fresh database (SQLite in a temporary AGORA_DATA_DIR, or the PostgreSQL database
named by --database-url), ``agora migrate``, N published products bulk-created straight on the
models (scaffolding, not a service path), then ``agora serve --no-worker`` on a free port.

Scenarios, from --concurrency keep-alive clients in --workers spawned processes, each measured
for --duration seconds in all, in --rounds slices that alternate with its baseline (so that load
from other programs on a shared machine falls on both sides alike):

* list: ``GET /api/v1/products?limit=50``: walks that start at the first page or at a cursor
  at a random depth, then follow ``next_cursor`` for 0-4 more pages;
* detail: ``GET /api/v1/products/{id}`` for random published products.

The baseline is the exact SQL the ORM issues for one list page or one detail (captured from a
real request, and checked to match it statement for statement and parameter for parameter),
executed through sqlite3 / psycopg with rows fetched, from the same number of processes, each
with one connection kept open (a server process runs one Django view at a time, so that is the
concurrency the database sees from it; --baseline-concurrency changes it). One baseline
"request" is the whole set of statements of one page or one detail.

The one JSON object on the last line of stdout holds req/s, p50 and p99 of both (pooled over
the rounds), the ratio HTTP ÷ raw SQL (overall and per round, to show the noise), the number
of statements per request and the machine's load average. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import random
import re
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench._common` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    Sample,
    agora_env,
    agora_server,
    data_dir,
    database_kind,
    drive,
    emit,
    log,
    postgres_prepare,
    run_agora,
)

LIMIT = 50
EXTRA_PAGES = 4  # a walk follows next_cursor for 0..EXTRA_PAGES pages after its first one
FIRST_PAGE_SHARE = 0.25  # share of walks that start at the first page, not at a random depth
SAMPLE = 20_000  # public ids the clients draw from

# fmt: off
WORDS = ["oak", "walnut", "linen", "wool", "cotton", "steel", "copper", "glass", "ceramic",
         "bamboo", "leather", "cork", "stone", "marble", "slate", "clay", "hemp", "felt", "brass",
         "tin"]
NOUNS = ["mug", "bowl", "lamp", "chair", "stool", "table", "shelf", "basket", "vase", "plate",
         "jug", "tray", "rug", "cushion", "throw", "clock", "mirror", "frame", "planter",
         "candle"]
# fmt: on
COLOURS = ["ivory", "sage", "ochre", "slate", "rust", "navy", "charcoal", "sand", "moss", "plum"]
LOREM = (
    "Made by hand in small batches from responsibly sourced materials. Each piece varies a "
    "little in colour and grain, which is part of its character. Wipe clean with a damp cloth; "
    "keep away from direct heat. Ships in recycled, plastic-free packaging."
)


# --- setup (runs in this process, with Django) ------------------------------------------------


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def seed(*, products: int, rng: random.Random) -> dict[str, int]:
    """Sellers, a small category tree and ``products`` published products of active sellers
    (1-2 variants each, EUR and sometimes GBP prices, one image), plus 1 % as many published
    products of a suspended seller that the public API must not show."""
    from django.db import transaction
    from django.utils import timezone

    from agora.catalog.models import Category, Product, ProductMedia, Variant
    from agora.marketplace.models import Seller
    from agora.marketplace.states import SellerState
    from agora.pricing.models import Price

    now = timezone.now()
    sellers = Seller.objects.bulk_create(
        Seller(
            slug=f"bench-seller-{i}",
            display_name=f"Bench Seller {i}",
            legal_name=f"Bench {i} Ltd",
            country="GB" if i % 2 else "DE",
            payout_currency="GBP" if i % 2 else "EUR",
            state=SellerState.SUSPENDED if i == 5 else SellerState.ACTIVE,
            state_changed_at=now,
            created_at=now,
        )
        for i in range(6)
    )
    active, suspended = sellers[:5], sellers[5]
    roots = Category.objects.bulk_create(
        Category(slug=s, name=s.title(), position=i) for i, s in enumerate(["home", "kitchen"])
    )
    leaves = Category.objects.bulk_create(
        Category(slug=f"{roots[i % 2].slug}-{n}", name=n.title(), parent=roots[i % 2], position=i)
        for i, n in enumerate(
            ["lighting", "textiles", "furniture", "tableware", "storage", "decor"]
        )
    )
    categories = [*roots, *leaves]
    hidden = products // 100
    counts = {"products": 0, "hidden_products": 0, "variants": 0, "prices": 0, "media": 0}
    chunk = 5000
    with transaction.atomic():
        for first in range(0, products + hidden, chunk):
            batch = []
            for i in range(first, min(first + chunk, products + hidden)):
                title = f"{rng.choice(COLOURS).title()} {rng.choice(WORDS)} {rng.choice(NOUNS)}"
                made = now - timedelta(minutes=products + hidden - i)
                batch.append(
                    Product(
                        seller=active[i % 5] if i < products else suspended,
                        category=categories[i % len(categories)],
                        slug=f"p-{i}",
                        title=title,
                        description=f"{title}. {LOREM}",
                        language="en",
                        translations={"zh-hans": {"title": f"手工 {title}"}} if i % 5 == 0 else {},
                        attributes={"material": rng.choice(WORDS), "colour": rng.choice(COLOURS)},
                        status=Product.Status.PUBLISHED,
                        published_at=made,
                        created_at=made,
                        updated_at=made,
                    )
                )
            Product.objects.bulk_create(batch)
            variants = []
            for p in batch:
                sizes = ["S", "L"] if rng.random() < 0.5 else [""]
                for j, size in enumerate(sizes):
                    variants.append(
                        Variant(
                            product=p,
                            seller_id=p.seller_id,
                            sku=f"{p.slug}-{j}",
                            title=size,
                            options={"size": size} if size else {},
                            weight_grams=rng.randint(50, 5000),
                            position=j,
                            created_at=p.created_at,
                        )
                    )
            Variant.objects.bulk_create(variants)
            prices = []
            for v in variants:
                amount = rng.randint(199, 49_999)
                currencies = [("EUR", amount)]
                if rng.random() < 0.5:
                    currencies.append(("GBP", amount * 86 // 100))
                prices += [
                    Price(
                        variant=v, seller_id=v.seller_id, currency=c, amount_minor=a, updated_at=now
                    )
                    for c, a in currencies
                ]
            Price.objects.bulk_create(prices)
            media = [
                ProductMedia(product=p, kind="image", url=f"/media/{p.slug}.jpg", alt=p.title)
                for p in batch
            ]
            ProductMedia.objects.bulk_create(media)
            visible = sum(1 for p in batch if p.seller_id != suspended.pk)
            counts["products"] += visible
            counts["hidden_products"] += len(batch) - visible
            counts["variants"] += len(variants)
            counts["prices"] += len(prices)
            counts["media"] += len(media)
            if (first // chunk) % 5 == 4:
                log(f"  {first + len(batch)} products")
    return counts


def analyze() -> None:
    """PostgreSQL: table statistics, as autovacuum gathers them on a live database within a
    minute of a bulk load (without them the planner guesses from an empty table). SQLite gets
    none: nothing in Agora runs ANALYZE there, and with statistics SQLite drives the cursor
    page from the seller table instead (a top-N sort per seller, about twice the cost here)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def encode_cursor(public_id: str) -> str:
    """As agora.core.pagination.encode_cursor; duplicated so load processes need no Django."""
    return base64.urlsafe_b64encode(public_id.encode()).decode().rstrip("=")


# --- the SQL the ORM issues -------------------------------------------------------------------

IN_LIST = re.compile(r"IN \(%s(?:, %s)*\)")


@dataclass
class Statement:
    """One statement of a request as the ORM issued it, with its varying parts marked: the
    request's value (a cursor's public id, a product's public id) and the id list of its
    ``IN (…)``, which comes from column 0 of an earlier statement's rows."""

    head: str  # SQL before the IN list (or all of it)
    tail: str  # SQL after the IN list
    params: list[tuple[str, Any]]  # ("const", p), ("value", None) or ("in", None)
    in_source: int | None = None  # the statement whose rows feed the IN list
    in_take: int | None = None  # only its first rows (a page query fetches limit + 1)
    in_column: int = 0  # which column of those rows
    in_distinct: bool = False  # the distinct non-null values (e.g. the categories of a page)

    def ids(self, results: list[list[Any]]) -> list[Any]:
        if self.in_source is None:
            return []
        values = [row[self.in_column] for row in results[self.in_source][: self.in_take]]
        if self.in_distinct:
            values = list(dict.fromkeys(v for v in values if v is not None))
        return values

    def render(self, value: Any, ids: list[Any]) -> tuple[str, list[Any]]:
        params: list[Any] = []
        for kind, p in self.params:
            if kind == "value":
                params.append(value)
            elif kind == "in":
                params.extend(ids)
            else:
                params.append(p)
        if self.in_source is None:
            return self.head, params
        return self.head + "IN (" + ", ".join(["%s"] * len(ids)) + ")" + self.tail, params


def capture(path: str) -> tuple[list[tuple[str, list[Any]]], int, bytes]:
    """Statements (with params) the full Django stack issues for one GET, its status and body."""
    from django.db import connection
    from django.test import Client

    seen: list[tuple[str, list[Any]]] = []

    def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen.append((sql, list(params or [])))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        response = Client().get(path)
    return seen, response.status_code, response.content


def _plain(value: Any) -> Any:
    """A parameter as a builtin (an enum member such as ``Product.Status.PUBLISHED`` would
    drag Django into the load processes when unpickled)."""
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value) if kind is not str else str.__str__(value)
    return value


def templates(captured: list[tuple[str, list[Any]]], value: Any) -> list[Statement]:
    """Turn one captured request into statements that replay it for another value, finding
    which earlier statement's rows feed each IN list by running the statements again."""
    from django.db import connection

    results: list[list[Any]] = []
    with connection.cursor() as cursor:
        for sql, params in captured:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    out = []
    for i, (sql, params) in enumerate(captured):
        marked = [("value", None) if p == value else ("const", _plain(p)) for p in params]
        match = IN_LIST.search(sql)
        if match is None:
            out.append(Statement(sql, "", marked))
            continue
        before = sql[: match.start()].count("%s")
        n = match.group(0).count("%s")
        ids = params[before : before + n]
        source, column, take, distinct = _feeder(results[:i], ids)
        marked = [*marked[:before], ("in", None), *marked[before + n :]]
        out.append(
            Statement(
                sql[: match.start()], sql[match.end() :], marked, source, take, column, distinct
            )
        )
    return out


def _canonical(statements: list[tuple[str, list[Any]]]) -> list[tuple[str, list[Any]]]:
    """Statements with the values of each IN list sorted: ``IN (1, 2)`` and ``IN (2, 1)`` ask
    the same of the database, and the ORM builds some lists from sets."""
    out = []
    for sql, params in statements:
        match = IN_LIST.search(sql)
        if match:
            before = sql[: match.start()].count("%s")
            n = match.group(0).count("%s")
            params = [*params[:before], *sorted(params[before : before + n]), *params[before + n :]]
        out.append((sql, params))
    return out


def _feeder(results: list[list[Any]], ids: list[Any]) -> tuple[int, int, int | None, bool]:
    """Which earlier statement and column an IN list comes from: the column's first rows in
    order (a page of ids), or its distinct non-null values (ids a page refers to)."""
    n = len(ids)
    candidates = [
        (j, column, [row[column] for row in results[j]])
        for j in range(len(results))  # the earliest source: a 1-id list is otherwise ambiguous
        for column in range(len(results[j][0]) if results[j] else 0)
    ]
    for j, column, values in candidates:  # an exact, ordered prefix first (a page of ids)
        if values[:n] == ids:
            return j, column, (n if len(values) > n else None), False
    for j, column, values in candidates:  # then the distinct values, in any order
        if {v for v in values if v is not None} == set(ids):
            return j, column, None, True
    raise LookupError(f"no earlier statement yields the IN list {ids[:5]}…")


# --- load steps (run in spawned processes, without Django) ------------------------------------


def _http(spec: dict[str, Any]) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", spec["port"], timeout=30)


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    except (http.client.HTTPException, OSError):
        conn.close()  # reconnects on the next request
        raise


NEXT = re.compile(rb'"next_cursor":\s*(null|"([^"]*)")')


class Walk:
    """Where a list client is: a walk starts at the first page or after a random product and
    follows next_cursor for 0..EXTRA_PAGES more pages."""

    def __init__(self, spec: dict[str, Any], seed: int, encode: Any = str) -> None:
        self.rng = random.Random(seed)
        self.starts = spec["cursors"]
        self.encode = encode
        self.left = -1  # pages still to follow; -1: start a new walk
        self.cursor: str | None = None

    def current(self) -> str | None:
        """The cursor of the page to fetch now (None: the first page)."""
        if self.left < 0:
            self.left = self.rng.randint(0, EXTRA_PAGES)
            start = None if self.rng.random() < FIRST_PAGE_SHARE else self.rng.choice(self.starts)
            self.cursor = self.encode(start) if start else None
        return self.cursor

    def advance(self, following: str | None) -> None:
        if following is None or self.left == 0:
            self.left = -1
        else:
            self.cursor = following
            self.left -= 1


def http_list_step(spec: dict[str, Any], seed: int):  # type: ignore[no-untyped-def]
    conn, walk = _http(spec), Walk(spec, seed, encode_cursor)

    def step() -> str | None:
        cursor = walk.current()
        path = f"/api/v1/products?limit={LIMIT}" + (f"&cursor={cursor}" if cursor else "")
        status, body = _get(conn, path)
        if status != 200:
            walk.advance(None)
            return f"GET {path}: {status} {body[:200]!r}"
        match = NEXT.search(body, max(0, len(body) - 200))
        walk.advance(match.group(2).decode() if match and match.group(2) else None)
        return None

    return step


def http_detail_step(spec: dict[str, Any], seed: int):  # type: ignore[no-untyped-def]
    conn, rng, ids = _http(spec), random.Random(seed), spec["ids"]

    def step() -> str | None:
        path = f"/api/v1/products/{rng.choice(ids)}"
        status, body = _get(conn, path)
        return None if status == 200 else f"GET {path}: {status} {body[:200]!r}"

    return step


def _connect(spec: dict[str, Any]):  # type: ignore[no-untyped-def]
    """A driver connection set up like Django's (same PRAGMAs; autocommit; client-side
    parameter binding on psycopg, as Django does by default), kept for the whole run."""
    if spec["kind"] == "sqlite":
        import sqlite3

        conn = sqlite3.connect(
            spec["path"], timeout=30, isolation_level=None, check_same_thread=False
        )
        for pragma in spec["pragmas"]:
            conn.execute(pragma)
        return conn, lambda sql: sql.replace("%s", "?")
    import psycopg

    conn = psycopg.connect(spec["url"], autocommit=True, cursor_factory=psycopg.ClientCursor)
    return conn, lambda sql: sql


def _replay(conn: Any, convert: Any, statements: list[Statement], value: Any) -> list[list[Any]]:
    """One request's statements through the driver, rows fetched; an empty IN list skips its
    statement, as Django does."""
    results: list[list[Any]] = []
    cursor = conn.cursor()
    for st in statements:
        ids = st.ids(results)
        if st.in_source is not None and not ids:
            results.append([])
            continue
        sql, params = st.render(value, ids)
        cursor.execute(convert(sql), params)
        results.append(cursor.fetchall())
    cursor.close()
    return results


def sql_list_step(spec: dict[str, Any], seed: int):  # type: ignore[no-untyped-def]
    (conn, convert), walk = _connect(spec), Walk(spec, seed)
    first, after = spec["list_first"], spec["list_after"]

    def step() -> str | None:
        cursor = walk.current()
        rows = _replay(conn, convert, after if cursor else first, cursor)[0]
        walk.advance(rows[LIMIT - 1][1] if len(rows) > LIMIT else None)
        return None

    return step


def sql_detail_step(spec: dict[str, Any], seed: int):  # type: ignore[no-untyped-def]
    (conn, convert), rng = _connect(spec), random.Random(seed)
    statements, ids = spec["detail"], spec["ids"]

    def step() -> str | None:
        value = rng.choice(ids)
        return None if _replay(conn, convert, statements, value)[0] else f"no row for {value}"

    return step


# --- main -------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument(
        "--database-url", help="PostgreSQL database to create and use (default: SQLite)"
    )
    parser.add_argument(
        "--recreate", action="store_true", help="drop the PostgreSQL database first if it exists"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="server processes (and load processes)"
    )
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients in all")
    parser.add_argument(
        "--baseline-concurrency",
        type=int,
        help="driver connections in all for the raw SQL runs (default: --workers, one per "
        "process, as each server process runs one Django view at a time)",
    )
    parser.add_argument(
        "--duration", type=float, default=20, help="seconds measured per scenario and side"
    )
    parser.add_argument(
        "--rounds", type=int, default=4, help="slices the duration is measured in, in turn"
    )
    parser.add_argument(
        "--warmup", type=float, default=3, help="seconds before measuring (1 after round 1)"
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    return parser.parse_args()


def query_counts() -> dict[str, Any]:
    """Statements per request: the list must not grow with its page size (no N+1)."""
    from agora.catalog.models import Product

    public_id = (
        Product.objects.filter(status="published").values_list("public_id", flat=True).first()
    )
    counts = {}
    for limit in (1, 10, 50, 100):
        seen, status, _ = capture(f"/api/v1/products?limit={limit}")
        assert status == 200, f"list limit={limit} answered {status}"
        counts[str(limit)] = len(seen)
    seen, status, _ = capture(f"/api/v1/products/{public_id}")
    assert status == 200, f"detail answered {status}"
    return {"list_by_limit": counts, "detail": len(seen)}


def prepare_replay(rng: random.Random, visible: list[str]) -> dict[str, Any]:
    """Capture one list page (first and with a cursor) and one detail through the Django stack,
    turn them into replayable statements, and check a replay issues exactly what the ORM issues
    for other values."""
    cursor_a, cursor_b = rng.sample(visible, 2)
    detail_a, detail_b = rng.sample(visible, 2)
    first, _, list_body = capture(f"/api/v1/products?limit={LIMIT}")
    after, _, _ = capture(f"/api/v1/products?limit={LIMIT}&cursor={encode_cursor(cursor_a)}")
    detail, _, detail_body = capture(f"/api/v1/products/{detail_a}")
    replay = {
        "list_first": templates(first, None),
        "list_after": templates(after, cursor_a),
        "detail": templates(detail, detail_a),
    }
    # The check: other values through the ORM and through the replay give the same statements.
    from django.db import connection

    for name, path, value in (
        (
            "list_after",
            f"/api/v1/products?limit={LIMIT}&cursor={encode_cursor(cursor_b)}",
            cursor_b,
        ),
        ("detail", f"/api/v1/products/{detail_b}", detail_b),
    ):
        orm, _, _ = capture(path)
        issued: list[tuple[str, list[Any]]] = []
        results: list[list[Any]] = []
        with connection.cursor() as cursor:
            for st in replay[name]:
                sql, params = st.render(value, st.ids(results))
                issued.append((sql, params))
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
        if _canonical(issued) != _canonical(orm):
            for (a, pa), (b, pb) in zip(issued, orm, strict=False):
                if (a, pa) != (b, pb):
                    log(f"replay: {a} {pa}\n   orm: {b} {pb}")
            raise SystemExit(f"the {name} replay does not issue what the ORM issues")
    log(
        f"replay checked: list {len(first)} statements, detail {len(detail)}; "
        f"response bytes: list page {len(list_body)}, detail {len(detail_body)}"
    )
    return {**replay, "bytes": {"list": len(list_body), "detail": len(detail_body)}}


def main() -> None:
    args = parse_args()
    kind = database_kind(args.database_url)
    rng = random.Random(args.seed)
    result: dict[str, Any] = {
        "bench": "catalog_read",
        "database": kind,
        "products": args.products,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "duration_s": args.duration,
        "machine": {"cpus": os.cpu_count(), "loadavg_1m_before": round(os.getloadavg()[0], 2)},
    }
    with data_dir(keep=args.keep) as data:
        t0 = time.perf_counter()
        if kind == "postgresql":
            postgres_prepare(args.database_url, recreate=args.recreate)
        env = agora_env(data, args.database_url)
        log(f"migrating ({kind}, data dir {data})")
        run_agora(["migrate", "--noinput", "-v", "0"], env)
        django_setup(env)
        from django.conf import settings
        from django.db import connection

        from agora.catalog.models import Product

        log(f"seeding {args.products} products")
        t_seed = time.perf_counter()
        counts = seed(products=args.products, rng=rng)
        analyze()
        result["setup"] = {**counts, "seed_seconds": round(time.perf_counter() - t_seed, 1)}
        visible = list(
            Product.objects.filter(seller__state="active").values_list("public_id", flat=True)
        )
        spec: dict[str, Any] = {
            "kind": kind,
            "ids": rng.sample(visible, min(SAMPLE, len(visible))),
            "cursors": rng.sample(visible, min(SAMPLE, len(visible))),
        }
        result["queries"] = query_counts()
        spec.update(prepare_replay(rng, visible))
        result["response_bytes"] = spec.pop("bytes")
        db = settings.DATABASES["default"]
        if kind == "sqlite":
            spec["path"] = str(db["NAME"])
            spec["pragmas"] = [p for p in db["OPTIONS"]["init_command"].split(";") if p.strip()]
        else:
            spec["url"] = args.database_url
        connection.close()
        result["setup_seconds"] = round(time.perf_counter() - t0, 1)

        rounds = max(1, args.rounds)
        slice_ = args.duration / rounds
        http_load = {"processes": args.workers, "concurrency": args.concurrency}
        sql_load = {
            "processes": args.workers,
            "concurrency": args.baseline_concurrency or args.workers,
        }
        result["baseline_concurrency"] = sql_load["concurrency"]
        result["rounds"] = rounds
        scenarios = (
            ("list", http_list_step, sql_list_step),
            ("detail", http_detail_step, sql_detail_step),
        )
        http: dict[str, Sample] = {name: Sample() for name, _, _ in scenarios}
        raw: dict[str, Sample] = {name: Sample() for name, _, _ in scenarios}
        by_round: dict[str, list[float]] = {name: [] for name, _, _ in scenarios}
        with agora_server(env, workers=args.workers, probe="/api/v1/products?limit=1") as port:
            http_spec = {**spec, "port": port}
            # Short slices, HTTP and raw SQL in turn, so that the load other programs put on
            # the machine falls on both sides alike.
            for r in range(rounds):
                timing = {"duration": slice_, "warmup": args.warmup if r == 0 else 1.0}
                for name, http_step, sql_step in scenarios:
                    h = drive(http_step, http_spec, seed=args.seed + r, **http_load, **timing)
                    q = drive(sql_step, spec, seed=args.seed + r, **sql_load, **timing)
                    http[name] += h
                    raw[name] += q
                    by_round[name].append(round(h.rate / q.rate, 3) if q.rate else None)
                    log(
                        f"round {r + 1}/{rounds} {name}: HTTP {h.rate:.1f} req/s, "
                        f"raw SQL {q.rate:.1f} req/s, errors {h.errors}+{q.errors}"
                    )

    for name, _, _ in scenarios:
        result[name] = http[name].summary()
    result["baseline_raw_sql"] = {name: raw[name].summary() for name, _, _ in scenarios}
    result["ratio"] = {
        name: round(http[name].rate / raw[name].rate, 3) if raw[name].rate else None
        for name, _, _ in scenarios
    }
    result["ratio_by_round"] = by_round
    result["machine"]["loadavg_1m_after"] = round(os.getloadavg()[0], 2)
    result["date"] = time.strftime("%Y-%m-%d")
    emit(result)


if __name__ == "__main__":
    main()

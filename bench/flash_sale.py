"""Flash sale: N buyers released together, each doing the whole buyer flow over HTTP for one of
K SKUs with S units each, against two baselines measured in the same run.

    .venv/bin/python -m bench.flash_sale --buyers 200 --skus 5 --stock 20 \
        [--database-url postgres://…/db --recreate] [--workers 2]

Setup (not measured): a fresh database (SQLite in a temporary AGORA_DATA_DIR, or the
PostgreSQL database named by --database-url), ``agora migrate``, then through our services: an
active seller (or --sellers), K published SKUs priced in EUR with S units each at one
warehouse, a shipping zone for DE with a method and a rate, and K more SKUs with ample stock
that only the baselines use. Then ``agora serve --workers W`` with its task worker and scheduler
(outbox and webhooks run as in production; --no-task-worker leaves them out) and with
AGORA_BENCH_FLOOR=1, which mounts the floor view (``agora/benchfloor.py``).

The sale: N buyers (threads in W processes, each with its own connection and cookie jar) wait
for one start time, then each runs GET /api/v1/cart, POST /api/v1/cart/lines (a random SKU,
quantity 1 or 2), PUT /api/v1/cart/destination (DE), and POST /api/v1/checkout with the
shipping method the cart offers, the test card and an Idempotency-Key. Demand beyond the stock
must end in 409 ``out-of-stock``; everything else is an error, counted by kind.

Baselines (in the same run, half before and half after the sale, N orders per round):

* raw_db_orders_per_s: the INSERT/UPDATE/DELETE statements one checkout issued (captured from
  real checkouts through Django's test client, with their parameters turned into templates: ids
  returned by earlier inserts, fresh unique tokens) replayed through sqlite3 / psycopg, one
  transaction per order, from W connections (a server process runs one sync view at a time);
* http_floor_orders_per_s: the same statements replayed by a bare view on the same server
  (POST /__bench/floor), driven by N clients released together.

Afterwards the database is checked: units sold per SKU, ``oversold`` (units in live orders
beyond the SKU's stock, summed), on-hand and reserved against orders and reservations.
Progress goes to stderr; one JSON object is the last line of stdout.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import sys
import time
import uuid
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench._common` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agora.benchfloor import TOKEN, replay
from bench._common import (
    Shot,
    agora_env,
    agora_server,
    burst,
    data_dir,
    database_kind,
    emit,
    log,
    percentile,
    postgres_prepare,
    run_agora,
)

CARD = "4242424242424242"
DESTINATION = {"country": "DE", "postcode": "10115"}
PRICE_MINOR = 2490
BASELINE_STOCK = 10**8
CHECKOUT_PATH = "/api/v1/checkout"
LIVE = ("placed", "paid", "partially_fulfilled", "fulfilled", "delivered", "completed")
PAID = ("paid", "partially_fulfilled", "fulfilled", "delivered", "completed")


# --- the buyer flow (shared by the HTTP buyers and the capture through the test client) -------


class HttpBuyer:
    """One buyer: a keep-alive connection and a cookie jar."""

    def __init__(self, port: int, timeout: float) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def phase(self, name: str) -> None:
        pass

    def cookie(self, name: str) -> str:
        return self.cookies.get(name, "")

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        sent = {"Accept": "application/json", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=data, headers=sent)
            response = self.conn.getresponse()
            raw = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            raise
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, _json(raw)


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return {"raw": raw[:200].decode(errors="replace")}


def _problem(step: str, status: int, body: Any) -> tuple[str, str]:
    kind = ""
    if isinstance(body, dict) and isinstance(body.get("type"), str):
        kind = " " + body["type"].rstrip("/").rsplit("/", 1)[-1]
    return f"{step} {status}{kind}", json.dumps(body)[:300]


def buyer_flow(buyer: Any, variant: str, quantity: int, email: str, key: str) -> tuple[str, str]:
    """The whole flow of one buyer; returns (outcome, detail): "completed", "out_of_stock" or
    an error kind such as ``checkout 409 conflict`` or ``cart 500``."""
    status, body = buyer.request("GET", "/api/v1/cart")
    if status != 200:
        return _problem("cart", status, body)
    csrf = {"X-CSRFToken": buyer.cookie("csrftoken")}
    line = {"variant_id": variant, "quantity": quantity}
    status, body = buyer.request("POST", "/api/v1/cart/lines", line, csrf)
    if status != 201:
        return _problem("add", status, body)
    status, body = buyer.request("PUT", "/api/v1/cart/destination", DESTINATION, csrf)
    if status != 200:
        return _problem("destination", status, body)
    shipping = {}
    for group in body.get("sellers", []):
        options = (group.get("shipping") or {}).get("options") or []
        if not options:
            return "destination: no shipping option", json.dumps(group.get("shipping"))[:300]
        shipping[group["seller"]["id"]] = options[0]["method_id"]
    buyer.phase("order")
    payload = {"shipping": shipping, "card": CARD, "email": email}
    status, body = buyer.request("POST", CHECKOUT_PATH, payload, {**csrf, "Idempotency-Key": key})
    if status == 201:
        state = body.get("state") if isinstance(body, dict) else None
        return ("completed", "") if state == "paid" else (f"checkout 201 {state}", "")
    if (
        status == 409
        and isinstance(body, dict)
        and str(body.get("type", "")).endswith("/out-of-stock")
    ):
        return "out_of_stock", ""
    return _problem("checkout", status, body)


def sale_flow(spec: dict[str, Any], index: int):  # type: ignore[no-untyped-def]
    """Buyer ``index``: its SKU and quantity are drawn from the run's seed."""
    rng = random.Random(spec["seed"] * 1_000_003 + index)
    variant, quantity = rng.choice(spec["variants"]), rng.choice((1, 2))
    buyer = HttpBuyer(spec["port"], spec["timeout"])
    buyer.conn.connect()

    def flow() -> tuple[str, str]:
        try:
            return buyer_flow(
                buyer, variant, quantity, f"buyer{index}@example.org", uuid.uuid4().hex
            )
        except TimeoutError as exc:
            return "timeout", str(exc)
        except (OSError, http.client.HTTPException) as exc:
            return "connection error", f"{type(exc).__name__}: {exc}"

    return flow


def floor_flow(spec: dict[str, Any], index: int):  # type: ignore[no-untyped-def]
    conn = http.client.HTTPConnection("127.0.0.1", spec["port"], timeout=spec["timeout"])
    conn.connect()
    body = json.dumps({"n": spec["offset"] + index}).encode()

    def flow() -> tuple[str, str]:
        try:
            conn.request("POST", "/__bench/floor", body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            raw = response.read()
        except TimeoutError as exc:
            return "timeout", str(exc)
        except (OSError, http.client.HTTPException) as exc:
            return "connection error", f"{type(exc).__name__}: {exc}"
        if response.status != 200:
            return f"floor {response.status}", raw[:300].decode(errors="replace")
        return "completed", ""

    return flow


# --- the raw driver baseline (spawned processes, no Django) ---------------------------------


def raw_flow(spec: dict[str, Any], index: int):  # type: ignore[no-untyped-def]
    """Connection ``index`` replays its share of the orders, one transaction each."""
    plan = spec["plan"]
    mine = list(range(spec["offset"] + index, spec["offset"] + spec["orders"], spec["clients"]))
    rng = random.Random()
    if spec["kind"] == "sqlite":
        import sqlite3
        from datetime import datetime
        from decimal import Decimal

        sqlite3.register_adapter(Decimal, str)
        sqlite3.register_adapter(datetime, lambda v: v.isoformat(" "))
        conn = sqlite3.connect(spec["path"], timeout=30, isolation_level=None)
        for pragma in spec["pragmas"]:
            conn.execute(pragma)
        begin, convert, json_param = "BEGIN IMMEDIATE", lambda sql: sql.replace("%s", "?"), None
    else:
        import psycopg
        from psycopg.types.json import Jsonb

        conn = psycopg.connect(spec["url"], cursor_factory=psycopg.ClientCursor)
        begin, convert, json_param = None, None, Jsonb

    def flow() -> tuple[str, str]:
        for n in mine:
            order = plan["orders"][n]
            statements = plan["templates"][order["t"]]["order"]
            cursor = conn.cursor()
            try:
                if begin:
                    cursor.execute(begin)
                replay(
                    cursor,
                    statements,
                    order["ids"],
                    dict(order["tokens"]),
                    rng,
                    convert=convert,
                    json_param=json_param,
                )
                conn.commit() if not begin else cursor.execute("COMMIT")
            except Exception as exc:
                conn.rollback() if not begin else cursor.execute("ROLLBACK")
                return "raw error", f"{type(exc).__name__}: {exc}"
            finally:
                cursor.close()
        return "completed", str(len(mine))

    return flow


# --- setup (this process, with Django) --------------------------------------------------------


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def seed(*, skus: int, stock: int, sellers: int) -> dict[str, Any]:
    """Through our services: active sellers, each with a DE warehouse and a DE shipping zone
    (one method, one EUR rate for any weight); ``skus`` published SKUs with ``stock`` units for
    the sale, and as many with ample stock that only the baselines touch."""
    from agora.catalog.services import product_publish
    from agora.checkout.shipping import (
        shipping_method_create,
        shipping_rate_create,
        shipping_zone_create,
    )
    from agora.core.actors import system
    from agora.inventory.services import location_create, stock_receive
    from agora.marketplace.services import seller_apply, seller_transition
    from agora.pricing.services import PricedVariantInput, product_create_priced

    actor = system("bench")
    made, locations = [], []
    for i in range(sellers):
        seller = seller_apply(
            actor=actor,
            display_name=f"Flash Seller {i}",
            legal_name=f"Flash {i} GmbH",
            country="DE",
            payout_currency="EUR",
            slug=f"flash-{i}",
        )
        seller = seller_transition(actor=actor, seller=seller, to="verified")
        seller = seller_transition(actor=actor, seller=seller, to="active")
        locations.append(
            location_create(
                actor=actor, seller=seller, name="Berlin", kind="warehouse", country="DE"
            )
        )
        zone = shipping_zone_create(actor=actor, seller=seller, name="DE", countries=["DE"])
        method = shipping_method_create(
            actor=actor,
            zone=zone,
            name="Standard",
            carrier_code="dhl",
            min_delivery_days=1,
            max_delivery_days=3,
        )
        shipping_rate_create(
            actor=actor,
            method=method,
            weight_from_grams=0,
            weight_to_grams=None,
            currency="EUR",
            amount_minor=490,
        )
        made.append(seller)

    def sku(name: str, i: int, units: int) -> str:
        seller, location = made[i % sellers], locations[i % sellers]
        product = product_create_priced(
            actor=actor,
            seller=seller,
            title=f"{name.title()} {i}",
            variants=[PricedVariantInput(sku=f"{name}-{i}", prices=[("EUR", PRICE_MINOR)])],
        )
        product = product_publish(actor=actor, product=product)
        variant = product.variants.get()
        stock_receive(actor=actor, location=location, variant=variant, quantity=units)
        return variant.public_id

    return {
        "sale": [sku("flash", i, stock) for i in range(skus)],
        "baseline": [sku("floor", i, BASELINE_STOCK) for i in range(skus)],
    }


def checkout_available() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(CHECKOUT_PATH)
    except Resolver404:
        return False
    return True


# --- capture: the writes of real checkouts, as templates --------------------------------------

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
INSERT_INTO = re.compile(r'^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)


class TestClientBuyer:
    """The buyer flow through Django's test client, recording the statements of each phase."""

    def __init__(self) -> None:
        from django.test import Client

        self.client = Client()
        self.current = "prep"
        self.seen: dict[str, list[tuple[str, list[Any]]]] = {"prep": [], "order": []}
        self.all_order_statements = 0

    def phase(self, name: str) -> None:
        self.current = name

    def cookie(self, name: str) -> str:
        morsel = self.client.cookies.get(name)
        return morsel.value if morsel else ""

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        from django.db import connection

        def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            if self.current == "order":
                self.all_order_statements += 1
            if WRITE.match(sql):
                self.seen[self.current].append((sql, list(params or [])))
            return execute(sql, params, many, context)

        call = getattr(self.client, method.lower())
        kwargs: dict[str, Any] = {"headers": headers} if headers else {}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        with connection.execute_wrapper(wrapper):
            response = call(path, **kwargs)
        return response.status_code, _json(response.content)


def _max_ids(tables: set[str]) -> dict[str, int]:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for table in tables:
            try:
                cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')
                value = cursor.fetchone()[0]
                out[table] = int(value) if isinstance(value, int) else -1
            except Exception:  # a table without an "id" column (django_session)
                out[table] = -1
    return out


def _rows_inserted(sql: str, params: list[Any]) -> int:
    arrays = [p for p in params if isinstance(p, list | tuple)]
    if arrays:  # PostgreSQL's bulk INSERT … SELECT * FROM UNNEST(%s, …)
        return len(arrays[0])
    values = sql.upper().split(" VALUES ", 1)
    return values[1].count("), (") + 1 if len(values) == 2 else 1


def spread_ids() -> None:
    """Start every table's id sequence at its own million (table i at (i + 1) x 10^6), so an
    integer parameter of a captured statement can only be the id of one earlier insert: in a
    fresh database every table would otherwise hand out the same small ids."""
    from django.db import connection

    with connection.cursor() as cursor:
        for i, table in enumerate(sorted(connection.introspection.table_names())):
            start = (i + 1) * 10**6
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT 1 FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND table_name = %s AND column_name = 'id'",
                    [table],
                )
                if cursor.fetchone() is None:
                    continue
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{table}"'])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute(
                        "SELECT setval(%s, GREATEST(%s, "
                        f'(SELECT COALESCE(MAX("id"), 0) FROM "{table}")))',
                        [sequence, start],
                    )
                continue
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table]
            )
            if "AUTOINCREMENT" not in (cursor.fetchone()[0] or "").upper():
                continue
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            if row is None:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start]
                )
            elif row[0] < start:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start, table]
                )


def capture_checkout(variant: str, quantity: int) -> dict[str, Any]:
    """One real buyer flow through the test client: its writes before the checkout (``prep``)
    and in it (``order``), and the ids every INSERT created (per statement, in order)."""
    from django.db import connection

    probe = TestClientBuyer()
    tables: set[str] = set()
    # Which tables the flow inserts into is only known afterwards; snapshot all of them.
    before = _max_ids(set(connection.introspection.table_names()))
    outcome, detail = buyer_flow(
        probe, variant, quantity, f"cap{uuid.uuid4().hex}@example.org", uuid.uuid4().hex
    )
    if outcome != "completed":
        raise SystemExit(f"the captured checkout did not complete: {outcome} {detail}")
    statements = [("prep", s) for s in probe.seen["prep"]] + [
        ("order", s) for s in probe.seen["order"]
    ]
    for _, (sql, _params) in statements:
        match = INSERT_INTO.match(sql)
        if match:
            tables.add(match.group(1))
    after = _max_ids(tables)
    new_ids: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        for table in tables:
            if before.get(table, -1) < 0:
                continue
            cursor.execute(
                f'SELECT "id" FROM "{table}" WHERE "id" > %s AND "id" <= %s ORDER BY "id"',
                [before[table], after[table]],
            )
            new_ids[table] = [row[0] for row in cursor.fetchall()]
    ids: dict[str, list[list[int]]] = {"prep": [], "order": []}
    for phase, (sql, params) in statements:
        match = INSERT_INTO.match(sql)
        got: list[int] = []
        if match and new_ids.get(match.group(1)):
            n = _rows_inserted(sql, params)
            got, new_ids[match.group(1)] = new_ids[match.group(1)][:n], new_ids[match.group(1)][n:]
        ids[phase].append(got)
    return {"seen": probe.seen, "ids": ids, "reads_and_writes": probe.all_order_statements}


def _encode(value: Any) -> dict[str, Any]:
    """A captured parameter as JSON: its kind and value."""
    from datetime import date, datetime
    from decimal import Decimal

    for plain in (bool, int, float, str):  # enum members (TextChoices) as builtins
        if isinstance(value, plain):
            return {"v": plain(value) if plain is not str else str.__str__(value)}
    if value is None:
        return {"v": None}
    if isinstance(value, datetime):
        return {"t": "dt", "v": value.isoformat()}
    if isinstance(value, date):
        return {"v": value.isoformat()}
    if isinstance(value, Decimal):
        return {"t": "dec", "v": str(value)}
    if type(value).__name__ in ("Jsonb", "Json"):
        return {"t": "json", "v": json.dumps(value.obj)}
    if type(value).__name__ == "Binary":  # psycopg's wrapper of a bytes value
        value = bytes(value.obj)
    if isinstance(value, memoryview | bytes | bytearray):  # a stored response body
        try:
            return {"t": "bytes", "v": bytes(value).decode()}
        except UnicodeDecodeError:
            return {"t": "hex", "v": bytes(value).hex()}
    if isinstance(value, uuid.UUID):
        return {"v": str(value)}
    raise SystemExit(f"cannot template a parameter of type {type(value).__name__}: {value!r}")


def _find(value: Any, ids: dict[str, list[list[int]]], upto: dict[str, int]) -> set[tuple]:
    """Where an integer could come from: (phase, statement, row) of an id inserted earlier."""
    if isinstance(value, bool) or not isinstance(value, int):
        return set()
    return {
        (phase, j, r)
        for phase, limit in upto.items()
        for j, got in enumerate(ids[phase][:limit])
        for r, v in enumerate(got)
        if v == value
    }


def _param(
    va: Any, vb: Any, a_ids: Any, b_ids: Any, upto: dict[str, int], phase: str, sql: str
) -> dict[str, Any]:
    """One parameter as a template (see :func:`templates`); an array (PostgreSQL's bulk
    ``UNNEST``) element by element."""
    if isinstance(va, list | tuple):
        if not isinstance(vb, list | tuple) or len(va) != len(vb):
            raise SystemExit(f"two captured checkouts differ in an array of: {sql[:200]}")
        return {
            "t": "list",
            "v": [
                _param(x, y, a_ids, b_ids, upto, phase, sql) for x, y in zip(va, vb, strict=True)
            ],
        }
    common = _find(va, a_ids, upto) & _find(vb, b_ids, upto)
    if common:
        where, k, r = min(common)
        return {"ref": ["ret" if where == phase else "prep", k, r]}
    param = _encode(va)
    other = _encode(vb)["v"]
    if isinstance(param["v"], str) and param["v"] != other:
        theirs = set(TOKEN.findall(str(other)))
        fresh = [t for t in dict.fromkeys(TOKEN.findall(param["v"])) if t not in theirs]
        if fresh:
            param["fresh"] = fresh
    return param


def templates(a: dict[str, Any], b: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Turn two captures of the same flow by different buyers into templates: a parameter is a
    reference when both captures hold the id the same earlier insert returned, a string with
    fresh tokens where the captures differ in tokens (public ids, keys, e-mails), else the
    first capture's value."""
    out: dict[str, list[dict[str, Any]]] = {}
    for phase in ("prep", "order"):
        if len(a["seen"][phase]) != len(b["seen"][phase]):
            raise SystemExit(
                f"two captured checkouts issued {len(a['seen'][phase])} and "
                f"{len(b['seen'][phase])} {phase} writes; the replay needs one shape"
            )
        built = []
        for j, ((sql, pa), (sql_b, pb)) in enumerate(
            zip(a["seen"][phase], b["seen"][phase], strict=True)
        ):
            if sql != sql_b or len(pa) != len(pb):
                raise SystemExit(f"two captured checkouts differ in statement {j}: {sql[:200]}")
            upto = {"prep": j} if phase == "prep" else {"prep": len(a["seen"]["prep"]), "order": j}
            params = [
                _param(va, vb, a["ids"], b["ids"], upto, phase, sql)
                for va, vb in zip(pa, pb, strict=True)
            ]
            built.append({"sql": sql, "params": params, "returning": " RETURNING " in sql.upper()})
        out[phase] = built
    return out


def prepare_plan(
    baseline_variants: list[str], orders: int, rng: random.Random, *, sellers: int
) -> dict[str, Any]:
    """Templates from two captured checkouts per baseline SKU, and the rows each baseline order's
    buyer writes before checking out (cart, session, lines: replayed here, not measured)."""
    from django.db import connection, transaction

    plan: dict[str, Any] = {"templates": [], "orders": []}
    statements = None
    spread_ids()
    # A seller's first checkout also creates its ledger accounts: one warm-up each, not captured.
    for variant in baseline_variants[:sellers]:
        capture_checkout(variant, 1)
    for i, variant in enumerate(baseline_variants):
        quantity = 1 + i % 2
        a, b = capture_checkout(variant, quantity), capture_checkout(variant, quantity)
        plan["templates"].append(templates(a, b))
        statements = statements or {
            "prep_writes": len(a["seen"]["prep"]),
            "checkout_writes": len(a["seen"]["order"]),
            "checkout_statements": a["reads_and_writes"],
        }
    json_param = None
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        json_param = Jsonb
    for n in range(orders):
        t = n % len(plan["templates"])
        tokens: dict[str, str] = {}
        with transaction.atomic(), connection.cursor() as cursor:
            ids = replay(
                cursor, plan["templates"][t]["prep"], [], tokens, rng, json_param=json_param
            )
        plan["orders"].append({"t": t, "ids": ids, "tokens": tokens})
    plan["counts"] = statements
    return plan


# --- afterwards: what the database says --------------------------------------------------------


def audit_stock(sale_variants: list[str], stock: int) -> dict[str, Any]:
    """Units in live orders per SKU against its stock; on-hand and reserved against paid
    orders and active reservations."""
    from django.db.models import Sum

    from agora.catalog.models import Variant
    from agora.inventory.models import Reservation, StockLevel
    from agora.orders.models import OrderLine

    out: dict[str, Any] = {"units_sold": 0, "oversold": 0, "units_left": 0, "inconsistent": []}
    for variant in Variant.objects.filter(public_id__in=sale_variants):
        lines = OrderLine.objects.filter(variant=variant)
        live = lines.filter(order__status__in=LIVE).aggregate(n=Sum("quantity"))["n"] or 0
        paid = lines.filter(order__status__in=PAID).aggregate(n=Sum("quantity"))["n"] or 0
        level = StockLevel.objects.filter(variant=variant).aggregate(
            on_hand=Sum("on_hand"), reserved=Sum("reserved")
        )
        held = (
            Reservation.objects.filter(variant=variant, state="active").aggregate(
                n=Sum("quantity")
            )["n"]
            or 0
        )
        out["units_sold"] += live
        out["oversold"] += max(0, live - stock)
        out["units_left"] += (level["on_hand"] or 0) - (level["reserved"] or 0)
        if level["on_hand"] != stock - paid or level["reserved"] != held:
            out["inconsistent"].append(
                {
                    "variant": variant.public_id,
                    "on_hand": level["on_hand"],
                    "expected_on_hand": stock - paid,
                    "reserved": level["reserved"],
                    "active_reservations": held,
                }
            )
    return out


# --- main -------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=200)
    parser.add_argument("--skus", type=int, default=5)
    parser.add_argument("--stock", type=int, default=20, help="units of each SKU")
    parser.add_argument("--sellers", type=int, default=1)
    parser.add_argument(
        "--database-url", help="PostgreSQL database to create and use (default: SQLite)"
    )
    parser.add_argument(
        "--recreate", action="store_true", help="drop the PostgreSQL database first if it exists"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="server processes (and client processes)"
    )
    parser.add_argument(
        "--no-task-worker",
        action="store_true",
        help="serve without the task worker and scheduler (default: with, as in production)",
    )
    parser.add_argument(
        "--baseline-connections",
        type=int,
        help="driver connections of the raw baseline (default: --workers, one per server "
        "process, as each runs one sync view at a time)",
    )
    parser.add_argument(
        "--baseline-rounds",
        type=int,
        default=2,
        help="rounds of N orders per baseline, half before the sale and half after",
    )
    parser.add_argument("--timeout", type=float, default=120, help="seconds per HTTP request")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    return parser.parse_args()


def _rate(shots: list[Shot]) -> tuple[float, float, dict[str, int], list[str]]:
    """Orders of one baseline burst and its span (from the gun to the last answer)."""
    done = [s for s in shots if s.outcome == "completed"]
    orders = sum(int(s.detail) if s.detail.isdigit() else 1 for s in done)
    span = max((s.end for s in shots), default=0.0)
    errors: dict[str, int] = {}
    details = []
    for s in shots:
        if s.outcome != "completed":
            errors[s.outcome] = errors.get(s.outcome, 0) + 1
            details.append(f"{s.outcome}: {s.detail}")
    return orders, span, errors, details[:3]


def main() -> None:
    args = parse_args()
    kind = database_kind(args.database_url)
    rng = random.Random(args.seed)
    result: dict[str, Any] = {
        "bench": "flash_sale",
        "database": kind,
        "buyers": args.buyers,
        "skus": args.skus,
        "stock": args.skus * args.stock,
        "workers": args.workers,
        "task_worker": not args.no_task_worker,
    }
    machine: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "loadavg_1m_before": round(os.getloadavg()[0], 2),
    }
    rounds = max(2, args.baseline_rounds)
    with data_dir(keep=args.keep) as data:
        t0 = time.perf_counter()
        if kind == "postgresql":
            postgres_prepare(args.database_url, recreate=args.recreate)
        env = agora_env(data, args.database_url)
        log(f"migrating ({kind}, data dir {data})")
        run_agora(["migrate", "--noinput", "-v", "0"], env)
        django_setup(env)
        if not checkout_available():
            raise SystemExit(
                "the buyer checkout API /api/v1/checkout is not available yet: "
                "bench/flash_sale.py needs it to run the sale and to capture its writes"
            )
        from django.conf import settings
        from django.db import connection

        log(f"seeding {args.skus} SKUs x {args.stock} units ({args.sellers} seller(s))")
        skus = seed(skus=args.skus, stock=args.stock, sellers=args.sellers)
        log("capturing checkouts and preparing the baseline orders")
        plan = prepare_plan(skus["baseline"], args.buyers * rounds * 2, rng, sellers=args.sellers)
        result["statements_per_order"] = plan.pop("counts")
        plan_path = data / "floor_plan.json"
        plan_path.write_text(json.dumps(plan))
        plan = json.loads(plan_path.read_text())  # builtins only: load processes have no Django
        db = settings.DATABASES["default"]
        raw_spec: dict[str, Any] = {"kind": kind, "plan": plan}
        if kind == "sqlite":
            raw_spec["path"] = str(db["NAME"])
            raw_spec["pragmas"] = [p for p in db["OPTIONS"]["init_command"].split(";") if p.strip()]
        else:
            raw_spec["url"] = args.database_url
        connection.close()
        result["setup_seconds"] = round(time.perf_counter() - t0, 1)

        env = {**env, "AGORA_BENCH_FLOOR": "1", "AGORA_BENCH_FLOOR_PLAN": str(plan_path)}
        connections = args.baseline_connections or args.workers
        totals = {"floor": 0.0, "floor_s": 0.0, "raw": 0.0, "raw_s": 0.0}
        baseline_errors: dict[str, int] = {}
        first_errors: list[str] = []
        offset = 0

        def baselines(port: int) -> None:
            nonlocal offset
            spec = {"port": port, "timeout": args.timeout, "offset": offset}
            got, span, errs, det = _rate(
                burst(floor_flow, spec, clients=args.buyers, processes=args.workers)
            )
            offset += args.buyers
            raw = {**raw_spec, "offset": offset, "orders": args.buyers, "clients": connections}
            got_raw, span_raw, errs_raw, det_raw = _rate(
                burst(raw_flow, raw, clients=connections, processes=args.workers)
            )
            offset += args.buyers
            totals["floor"] += got
            totals["floor_s"] += span
            totals["raw"] += got_raw
            totals["raw_s"] += span_raw
            for k, v in {**errs, **{f"raw {k}": v for k, v in errs_raw.items()}}.items():
                baseline_errors[k] = baseline_errors.get(k, 0) + v
            first_errors.extend(det + det_raw)
            log(
                f"baselines: HTTP floor {got / span if span else 0:.1f} orders/s, "
                f"raw driver {got_raw / span_raw if span_raw else 0:.1f} orders/s"
            )

        with agora_server(
            env,
            workers=args.workers,
            probe="/api/v1/products?limit=1",
            task_worker=not args.no_task_worker,
        ) as port:
            for _ in range(rounds // 2):
                baselines(port)
            log(f"the sale: {args.buyers} buyers, {args.skus} SKUs x {args.stock} units")
            sale_spec = {
                "port": port,
                "timeout": args.timeout,
                "seed": args.seed,
                "variants": skus["sale"],
            }
            shots = burst(sale_flow, sale_spec, clients=args.buyers, processes=args.workers)
            for _ in range(rounds - rounds // 2):
                baselines(port)

        django_setup(env)
        audit = audit_stock(skus["sale"], args.stock)
        connection.close()

    completed = [s for s in shots if s.outcome == "completed"]
    errors: dict[str, int] = {}
    for s in shots:
        if s.outcome not in ("completed", "out_of_stock"):
            errors[s.outcome] = errors.get(s.outcome, 0) + 1
    span = max((s.end for s in shots), default=0.0)
    latencies = sorted(s.latency for s in completed)
    every = sorted(s.latency for s in shots)
    orders_per_s = len(completed) / span if span else 0.0
    floor = totals["floor"] / totals["floor_s"] if totals["floor_s"] else 0.0
    raw_rate = totals["raw"] / totals["raw_s"] if totals["raw_s"] else 0.0

    def ms(values: list[float], q: float) -> float | None:
        return round(percentile(values, q) * 1000, 1) if values else None

    result.update(
        {
            "orders_per_s": round(orders_per_s, 1),
            "p50_ms": ms(latencies, 50),
            "p99_ms": ms(latencies, 99),
            "all_buyers_p50_ms": ms(every, 50),
            "all_buyers_p99_ms": ms(every, 99),
            "sale_seconds": round(span, 2),
            "units_sold": audit["units_sold"],
            "units_left": audit["units_left"],
            "oversold": audit["oversold"],
            "sold_out": audit["units_left"] == 0,
            "stock_consistent": not audit["inconsistent"],
            "outcomes": {
                "completed": len(completed),
                "out_of_stock": sum(1 for s in shots if s.outcome == "out_of_stock"),
            },
            "errors": errors,
            "raw_db_orders_per_s": round(raw_rate, 1),
            "http_floor_orders_per_s": round(floor, 1),
            "ratio": round(orders_per_s / floor, 3) if floor and not baseline_errors else None,
            "baseline_connections": connections,
            "baseline_rounds": rounds,
        }
    )
    if audit["inconsistent"]:
        result["stock_inconsistent"] = audit["inconsistent"]
    if baseline_errors:
        result["baseline_errors"] = baseline_errors
    firsts = [f"{s.outcome}: {s.detail}" for s in shots if s.outcome not in ("completed",)]
    firsts = [f for f in firsts if not f.startswith("out_of_stock")][:3] + first_errors[:3]
    if firsts:
        result["first_errors"] = firsts
    machine["loadavg_1m_after"] = round(os.getloadavg()[0], 2)
    result["machine"] = machine
    result["date"] = time.strftime("%Y-%m-%d")
    emit(result)


if __name__ == "__main__":
    main()

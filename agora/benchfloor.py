"""The HTTP floor of ``bench/flash_sale.py``: the write statements of one checkout, replayed in
one transaction by a bare view on the real server, with no ORM, no validation and no rules.

It exists only when ``AGORA_BENCH_FLOOR=1`` is set (see ``agora/urls.py``); the benchmark
starts its throw-away server that way. ``AGORA_BENCH_FLOOR_PLAN`` names the JSON plan the
benchmark wrote: the captured statements as templates (:func:`render`) and, per order, the
ids and tokens of the rows its buyer wrote before checking out (cart, session), which the
benchmark created beforehand.

The replay helpers are also what the benchmark's raw-driver baseline runs, so both baselines
issue exactly the same statements. They import nothing from Django at module level, so the
benchmark's load processes can use them without setting Django up.
"""

from __future__ import annotations

import json
import os
import random
import re
import string
from datetime import datetime
from decimal import Decimal
from typing import Any

TOKEN = re.compile(r"[0-9A-Za-z]{12,}")
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def fresh_token(token: str, rng: random.Random) -> str:
    """A token of the same length and alphabet: its last 10 characters drawn again (so a
    public id keeps its prefix and stays valid, and a unique column stays unique)."""
    if all(c in "0123456789abcdef" for c in token):
        alphabet = "0123456789abcdef"
    elif all(c in _CROCKFORD for c in token):
        alphabet = _CROCKFORD
    else:
        alphabet = string.ascii_letters + string.digits
    tail = min(10, len(token))
    return token[:-tail] + "".join(rng.choice(alphabet) for _ in range(tail))


def _value(param: dict[str, Any], ids: dict[str, list[Any]], tokens: dict[str, str], rng: Any):  # type: ignore[no-untyped-def]
    ref = param.get("ref")
    if ref is not None:
        where, j, row = ref
        return ids[where][j][row]
    value = param["v"]
    if param.get("t") == "list":
        return [_value(p, ids, tokens, rng) for p in value]
    for token in param.get("fresh") or ():
        if token not in tokens:
            tokens[token] = fresh_token(token, rng)
        value = value.replace(token, tokens[token])
    kind = param.get("t", "plain")
    if kind == "dt":
        return datetime.fromisoformat(value)
    if kind == "dec":
        return Decimal(value)
    if kind == "bytes":
        return value.encode()
    if kind == "hex":
        return bytes.fromhex(value)
    return value


def render(
    statement: dict[str, Any],
    ids: dict[str, list[Any]],
    tokens: dict[str, str],
    rng: random.Random,
    json_param: Any = None,
) -> list[Any]:
    """The parameters of one templated statement for one order. ``ids["ret"][j]`` holds the ids
    statement j of this replay returned, ``ids["prep"][j]`` those of the order's earlier rows;
    ``tokens`` maps each captured unique token to this order's (filled on first use).
    ``json_param`` wraps JSON values as the driver wants them (psycopg's Jsonb)."""
    out = []
    for param in statement["params"]:
        value = _value(param, ids, tokens, rng)
        if param.get("t") == "json" and json_param is not None:
            value = json_param(json.loads(value))
        out.append(value)
    return out


def replay(
    cursor: Any,
    statements: list[dict[str, Any]],
    prep_ids: list[list[Any]],
    tokens: dict[str, str],
    rng: random.Random,
    *,
    convert: Any = None,
    json_param: Any = None,
) -> list[list[Any]]:
    """Runs one order's statements on ``cursor`` (the caller owns the transaction) and returns
    the ids each one returned (RETURNING rows, else SQLite's lastrowid for an INSERT)."""
    ids: dict[str, list[Any]] = {"ret": [], "prep": prep_ids}
    for st in statements:
        params = render(st, ids, tokens, rng, json_param)
        cursor.execute(convert(st["sql"]) if convert else st["sql"], params)
        if st.get("returning"):
            ids["ret"].append([row[0] for row in cursor.fetchall()])
        elif st["sql"].lstrip()[:6].upper() == "INSERT":
            ids["ret"].append([getattr(cursor, "lastrowid", None)])
        else:
            ids["ret"].append([])
    return ids["ret"]


# --- the view (only mounted with AGORA_BENCH_FLOOR=1) -----------------------------------------

_plan: dict[str, Any] | None = None


def _load_plan() -> dict[str, Any]:
    global _plan
    if _plan is None:
        with open(os.environ["AGORA_BENCH_FLOOR_PLAN"], encoding="utf-8") as handle:
            _plan = json.load(handle)
    return _plan


def floor_view(request):  # type: ignore[no-untyped-def]
    """POST ``{"n": i}``: replays the checkout's writes for floor order ``i`` in one
    transaction and answers ``{"ok": true}``."""
    from django.db import connection, transaction
    from django.http import JsonResponse

    if request.method != "POST":
        return JsonResponse({"detail": "POST only"}, status=405)
    plan = _load_plan()
    order = plan["orders"][int(json.loads(request.body)["n"])]
    json_param = None
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        json_param = Jsonb
    with transaction.atomic(), connection.cursor() as cursor:
        replay(
            cursor,
            plan["templates"][order["t"]]["order"],
            order["ids"],
            dict(order["tokens"]),
            random.Random(),
            json_param=json_param,
        )
    return JsonResponse({"ok": True})


def urlpatterns() -> list[Any]:
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    return [path("__bench/floor", csrf_exempt(floor_view))]

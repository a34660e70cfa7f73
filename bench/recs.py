"""Recommendations: training time and serving latency on real purchases, with a floor measured
in the same run.

    .venv/bin/python -m bench.recs [--data DIR] [--database-url postgres://…/db] [--recreate]
                                   [--requests 20000] [--keep]

Steps: a fresh database (SQLite in a temporary AGORA_DATA_DIR, or the PostgreSQL database named
by --database-url), ``agora migrate``, ``agora demo``, ``agora import online-retail`` of
../shared/data/online-retail/by-day (real customers and their orders), ``agora recs rebuild``
(timed) and ``agora recs train --today <the day after the last order>`` (timed: the training
figure). Then, in this process, with the saved model loaded as a serving process loads it:

- ``model``: the model part of a request, ``serving.model_recommendations`` (pure memory): the
  home list (k=10) of a random buyer (profiled), a product page's bought-together (k=4) and a
  cart of three items (k=4), in the proportion 2:1:1; the figure the issue bounds (p99 < 5 ms);
- ``request``: ``serving.recommend`` the storefront calls, i.e. the model part plus the buyer's
  profiling choice, their "not interested" list and the on-sale check (three indexed queries);
- ``floor``: the same requests answered from lists precomputed into a dict (the least any
  recommender does per request), same loop, same run.

Then ``agora recs exposure --json`` on the imported data (timed), summarised in the output.
The last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
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
    percentile,
    postgres_prepare,
    run_agora,
)

SEED = 2026
DEFAULT_DATA = REPO.parent / "shared" / "data" / "online-retail" / "by-day"


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [*agora_command(), *args], env=env, check=True, capture_output=True, text=True, cwd=REPO
    )
    sys.stderr.write(done.stderr[-2000:])
    return time.perf_counter() - started, done.stdout.strip().splitlines()[-1]


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(percentile(ordered, 50) * 1000, 3),
        "p99_ms": round(percentile(ordered, 99) * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
    }


def measure(requests: int) -> dict[str, Any]:
    from agora.recommendations import serving
    from agora.recommendations.models import Signal

    model = serving.current_model(force=True)
    buyers = sorted(set(Signal.objects.values_list("buyer", flat=True)))
    user_ids = [int(b.removeprefix("user:")) for b in buyers if b.startswith("user:")]
    items = list(model.items)
    rng = random.Random(SEED)
    plan = []
    for n in range(requests):
        kind = ("home", "home", "product", "cart")[n % 4]
        user = rng.choice(user_ids)
        anchors = [] if kind == "home" else rng.sample(items, 1 if kind == "product" else 3)
        plan.append((kind, user, anchors))
    # The floor: the same choices served from precomputed lists in a dict.
    precomputed = {
        f"user:{u}": [r.item for r in model.recommend(f"user:{u}", 10)] for u in set(user_ids)
    }
    floor, model_part, request = [], [], []
    for kind, user, anchors in plan:
        k = 10 if kind == "home" else 4
        t0 = time.perf_counter()
        found = precomputed.get(f"user:{user}", [])[:k]
        floor.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        found = serving.model_recommendations(
            model, buyer=f"user:{user}", k=k, profiled=True, placement=kind, anchors=anchors
        )
        model_part.append(time.perf_counter() - t0)
        assert found is not None
        t0 = time.perf_counter()
        serving.recommend(user_id=user, k=k, placement=kind, anchors=anchors)
        request.append(time.perf_counter() - t0)
    by_kind: dict[str, list[float]] = {"home": [], "product": [], "cart": []}
    for (kind, _, _), seconds in zip(plan, model_part, strict=True):
        by_kind[kind].append(seconds)
    return {
        "requests": requests,
        "buyers": len(user_ids),
        "items": len(items),
        "model": _ms(model_part),
        "model_by_placement": {kind: _ms(s) for kind, s in by_kind.items()},
        "request": _ms(request),
        "floor": _ms(floor),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--database-url")
    parser.add_argument("--recreate", action="store_true")
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"--data {args.data}: no such folder of Online Retail by-day files")
    kind = database_kind(args.database_url)
    if args.database_url and kind == "postgresql":
        postgres_prepare(args.database_url, recreate=args.recreate)
    with data_dir(keep=args.keep) as folder:
        env = agora_env(folder, args.database_url)
        env["OPENBLAS_NUM_THREADS"] = "1"
        log("migrate, demo, import Online Retail")
        run_agora(["migrate", "-v", "0"], env)
        run_agora(["demo"], env)
        t0 = time.perf_counter()
        run_agora(["import", "online-retail", str(args.data)], env)
        import_seconds = time.perf_counter() - t0
        last = max(date.fromisoformat(p.stem) for p in args.data.glob("*.csv"))
        today = (last + timedelta(days=1)).isoformat()
        log("recs rebuild")
        rebuild_seconds, rebuilt = _timed(["recs", "-v", "0", "rebuild", "--json"], env)
        log(f"recs train --today {today}")
        train_seconds, trained = _timed(["recs", "train", "--today", today, "--json"], env)
        log("recs exposure")
        exposure_seconds, exposure = _timed(["recs", "-v", "0", "exposure", "--json"], env)
        os.environ.update(env)
        import django

        django.setup()
        log(f"serving {args.requests} requests")
        serving_figures = measure(args.requests)
    report = json.loads(exposure)
    emit(
        {
            "benchmark": "recs",
            "database": kind,
            "data": str(args.data),
            "import_seconds": round(import_seconds, 1),
            "rebuild": {**json.loads(rebuilt), "wall_seconds": round(rebuild_seconds, 2)},
            "train": {**json.loads(trained), "wall_seconds": round(train_seconds, 2)},
            "serving": serving_figures,
            "exposure": {
                "seconds": round(exposure_seconds, 2),
                "buyers": report["buyers"],
                "impressions": report["impressions"],
                "items": report["items"],
                "sellers": report["sellers"],
                "sources": report["sources"],
            },
        }
    )


if __name__ == "__main__":
    main()

"""What the personal-data vault costs: finding a user by email and opening their profile (what
every sign-in and every page that shows the buyer's name does), against reading the same row
by a plain indexed column without opening anything, in the same run and the same database.

    .venv/bin/python -m bench.vault [--users 2000] [--reads 20000] [--rounds 5]

Steps: a fresh SQLite database in a temporary AGORA_DATA_DIR, ``agora migrate``, then, in this
process, --users accounts created through ``User.objects.create_user`` (each a vault person
with its own key) and timed against bulk-free plain inserts of the same number of rows into a
scratch table; then --reads random lookups in --rounds slices that alternate vault and
baseline, so load from other programs falls on both. One JSON object on the last line.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import agora_env, data_dir, emit, log, run_agora


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--reads", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.users < 1 or args.reads < 1 or args.rounds < 1:
        print("bench.vault: --users, --reads and --rounds must be positive", file=sys.stderr)
        raise SystemExit(2)
    with data_dir() as data:
        env = agora_env(data, None)
        run_agora(["migrate", "--noinput"], env)
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
        import django

        django.setup()
        from django.db import connection

        from agora.accounts.models import User

        emails = [f"bench-{i}@vault.invalid" for i in range(args.users)]
        log(f"creating {args.users} users through the vault")
        started = time.perf_counter()
        for email in emails:
            User.objects.create_user(email, None)
        create_s = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_plain (id INTEGER PRIMARY KEY, email TEXT UNIQUE)")
            started = time.perf_counter()
            for email in emails:
                cursor.execute("INSERT INTO bench_plain (email) VALUES (%s)", [email])
            plain_create_s = time.perf_counter() - started
        ids = dict(User.objects.values_list("email_digest", "public_id"))
        public_ids = list(ids.values())
        rng = random.Random(20261126)
        per_round = max(1, args.reads // args.rounds)
        vault_us: list[float] = []
        plain_us: list[float] = []
        for r in range(args.rounds):
            log(f"round {r + 1}/{args.rounds}")
            picks = [rng.randrange(args.users) for _ in range(per_round)]
            started = time.perf_counter()
            for i in picks:
                user = User.objects.by_email(emails[i]).select_related("person").get()
                assert user.email == emails[i]
            vault_us.append((time.perf_counter() - started) / per_round * 1e6)
            started = time.perf_counter()
            for i in picks:
                user = User.objects.get(public_id=public_ids[i])
            plain_us.append((time.perf_counter() - started) / per_round * 1e6)
        vault, plain = statistics.median(vault_us), statistics.median(plain_us)
        emit(
            {
                "bench": "vault",
                "users": args.users,
                "reads": per_round * args.rounds,
                "rounds": args.rounds,
                "create_user_ms": round(create_s / args.users * 1e3, 3),
                "baseline_plain_insert_ms": round(plain_create_s / args.users * 1e3, 3),
                "lookup_by_email_and_open_us": round(vault, 1),
                "baseline_lookup_by_public_id_us": round(plain, 1),
                "ratio": round(vault / plain, 2),
                "per_round_us": {
                    "vault": [round(x) for x in vault_us],
                    "plain": [round(x) for x in plain_us],
                },
                "loadavg": [round(x, 2) for x in os.getloadavg()],
            }
        )


if __name__ == "__main__":
    main()

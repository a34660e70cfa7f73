"""``agora scheduler``: enqueues each registered periodic job when it is due."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from agora.core import clock, schedule


class Command(BaseCommand):
    help = "Enqueue periodic jobs (outbox sweep, expiries, pruning) when they are due."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--tick", type=float, default=1.0, help="seconds between rounds")

    def handle(self, *args, once: bool, tick: float, **options) -> None:  # type: ignore[no-untyped-def]
        running = True

        def stop(signum: int, frame: object) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        last_run: dict[str, float] = {}
        while running:
            now = clock.now().timestamp()
            for job in schedule.jobs():
                if now - last_run.get(job.name, 0.0) < job.every.total_seconds():
                    continue
                last_run[job.name] = now
                try:
                    if job.when is None or job.when():
                        job.task.enqueue()
                        if options["verbosity"] > 1:
                            self.stdout.write(f"enqueued {job.name}")
                except Exception as exc:  # keep the clock going; report and retry next round
                    self.stderr.write(f"scheduler: {job.name} failed to enqueue: {exc}")
            close_old_connections()
            if once:
                break
            time.sleep(tick)

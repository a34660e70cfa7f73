"""``agora serve``: the web server (several ASGI processes) plus the task worker and scheduler.

One command runs everything on one machine; in production run ``agora serve --no-worker`` and
``agora worker`` / ``agora scheduler`` as separate services. If any child dies the others are
stopped and the command exits non-zero, so a supervisor notices.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = "Serve Agora over HTTP with several processes, plus the worker and scheduler."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default=os.environ.get("AGORA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("AGORA_WEB_WORKERS", os.cpu_count() or 1)),
            help="web server processes (default: one per core)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the task worker and scheduler (run them as separate services)",
        )

    def handle(self, *args, host: str, port: int, workers: int, no_worker: bool, **options) -> None:  # type: ignore[no-untyped-def]
        if workers < 1:
            raise CommandError(f"--workers must be at least 1, got {workers}")
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, got {port}")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("the database has unapplied migrations: run `agora migrate` first")
        call_command("collectstatic", interactive=False, verbosity=0)
        connection.close()

        python = sys.executable
        children: dict[str, subprocess.Popen] = {}
        web = [
            python,
            "-m",
            "granian",
            "--interface",
            "asginl",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-ws",
            "--log-level",
            "warning",
            "agora.asgi:application",
        ]
        # asginl: Django has no ASGI lifespan support, so skip the lifespan handshake.
        children["web"] = subprocess.Popen(web)
        if not no_worker:
            children["worker"] = subprocess.Popen([python, "-m", "agora", "worker"])
            children["scheduler"] = subprocess.Popen([python, "-m", "agora", "scheduler"])
        self.stdout.write(
            f"Agora serving on http://{host}:{port} with {workers} web process(es)"
            + ("" if no_worker else ", a task worker and the scheduler")
            + f"; database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}. "
            "Ctrl-C stops."
        )
        self.stdout.flush()

        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        failed = None
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    failed = (name, child.returncode)
                    stopping = True
                    break
            time.sleep(0.2)
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        if failed:
            raise CommandError(f"the {failed[0]} process exited with code {failed[1]}")

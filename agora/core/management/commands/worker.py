"""``agora worker``: runs background tasks from the database queue (django-tasks-db)."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks (outbox dispatch and others) until stopped."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued now, then exit"
        )
        parser.add_argument(
            "--interval", type=float, default=0.5, help="seconds between polls when idle"
        )

    def handle(self, *args, batch: bool, interval: float, **options) -> None:  # type: ignore[no-untyped-def]
        extra = ["--batch"] if batch else []
        call_command(
            "db_worker", "--interval", str(interval), *extra, verbosity=options["verbosity"]
        )

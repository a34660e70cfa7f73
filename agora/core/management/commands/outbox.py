"""``agora outbox``: what is waiting, what is failing and why; retry parked deliveries."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from agora.core.models import EventDelivery, OutboxEvent
from agora.core.outbox import dispatch_pending
from agora.core.outbox import retry_dead as requeue_dead


class Command(BaseCommand):
    help = "Show the event outbox's state; --dispatch runs due events now; --retry-dead retries."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--dispatch", action="store_true", help="dispatch due events now")
        parser.add_argument(
            "--retry-dead", action="store_true", help="give parked deliveries another round"
        )

    def handle(self, *args, dispatch: bool, retry_dead: bool, **options) -> None:  # type: ignore[no-untyped-def]
        if retry_dead:
            self.stdout.write(f"re-queued {requeue_dead()} parked deliveries")
        if dispatch:
            report = dispatch_pending()
            self.stdout.write(
                f"dispatched {report.events} events: {report.applied} applied, "
                f"{report.failed} failed"
            )
        pending = OutboxEvent.objects.filter(dispatched_at__isnull=True).count()
        self.stdout.write(f"events waiting: {pending}")
        failing = EventDelivery.objects.filter(
            status__in=[EventDelivery.Status.FAILED, EventDelivery.Status.DEAD]
        ).select_related("event")[:50]
        for d in failing:
            last_line = d.last_error.strip().splitlines()[-1] if d.last_error else ""
            self.stdout.write(
                f"{d.status:6} {d.event.name} {d.event.public_id} → {d.handler} "
                f"(attempts {d.attempts}, next {d.next_attempt_at or '-'}): {last_line}"
            )

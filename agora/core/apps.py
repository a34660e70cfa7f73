from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "agora.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from agora.core import checks, schedule  # noqa: F401  (registers system checks)
        from agora.core.extension_points import retention_rules as retention_point
        from agora.core.outbox import has_due_events
        from agora.core.retention import retention_rules
        from agora.core.tasks import outbox_dispatch, prune_task_results

        schedule.every(
            timedelta(seconds=settings.AGORA_OUTBOX_SWEEP_SECONDS),
            outbox_dispatch,
            name="core.outbox_sweep",
            when=has_due_events,
        )
        schedule.every(timedelta(hours=6), prune_task_results, name="core.prune_task_results")
        retention_point.register(retention_rules, key="core")

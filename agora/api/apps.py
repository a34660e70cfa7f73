from datetime import timedelta

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "agora.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from agora.api.retention import retention_rules
        from agora.api.tasks import prune_idempotency_records
        from agora.core import schedule
        from agora.core.extension_points import retention_rules as retention_point

        schedule.every(
            timedelta(hours=1), prune_idempotency_records, name="api.prune_idempotency_records"
        )
        retention_point.register(retention_rules, key="api")

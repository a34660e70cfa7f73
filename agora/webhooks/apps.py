from datetime import timedelta

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class WebhooksConfig(AppConfig):
    name = "agora.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from agora.core import schedule
        from agora.core.extension_points import retention_rules as retention_point
        from agora.webhooks import events  # noqa: F401  (registers the fan-out handler)
        from agora.webhooks.delivery import has_due_deliveries
        from agora.webhooks.retention import retention_rules
        from agora.webhooks.tasks import webhooks_deliver

        # Load every app's event classes, so endpoints can subscribe to any of their names.
        autodiscover_modules("events")
        schedule.every(
            timedelta(seconds=5),
            webhooks_deliver,
            name="webhooks.deliver",
            when=has_due_deliveries,
        )
        retention_point.register(retention_rules, key="webhooks")

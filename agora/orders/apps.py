from datetime import timedelta

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "agora.orders"
    label = "orders"
    verbose_name = "Orders"

    def ready(self) -> None:
        from agora.core import schedule
        from agora.core.extension_points import retention_rules as retention_point
        from agora.orders.retention import retention_rules
        from agora.orders.tasks import complete_delivered_orders

        schedule.every(timedelta(hours=1), complete_delivered_orders, name="orders.complete_due")
        retention_point.register(retention_rules, key="orders")

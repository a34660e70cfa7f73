from datetime import timedelta

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "agora.orders"
    label = "orders"
    verbose_name = "Orders"

    def ready(self) -> None:
        from agora.core import schedule
        from agora.orders.tasks import complete_delivered_orders

        schedule.every(timedelta(hours=1), complete_delivered_orders, name="orders.complete_due")

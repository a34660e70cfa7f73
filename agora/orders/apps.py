from datetime import timedelta

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "agora.orders"
    label = "orders"
    verbose_name = "Orders"

    def ready(self) -> None:
        from agora.core import schedule
        from agora.core.extension_points import personal_data, personal_data_erase
        from agora.core.extension_points import retention_rules as retention_point
        from agora.orders import personal_data as mine
        from agora.orders.retention import retention_rules
        from agora.orders.tasks import complete_delivered_orders

        schedule.every(timedelta(hours=1), complete_delivered_orders, name="orders.complete_due")
        personal_data.register(mine.export, key="orders")
        personal_data_erase.register(mine.erase, key="orders")
        retention_point.register(retention_rules, key="orders")

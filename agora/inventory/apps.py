from datetime import timedelta

from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "agora.inventory"
    label = "inventory"
    verbose_name = "Inventory"

    def ready(self) -> None:
        from agora.core import schedule
        from agora.inventory.selectors import has_expired_reservations
        from agora.inventory.tasks import expire_reservations

        schedule.every(
            timedelta(minutes=1),
            expire_reservations,
            name="inventory.expire_reservations",
            when=has_expired_reservations,
        )

from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "agora.inventory"
    label = "inventory"
    verbose_name = "Inventory"

from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "agora.marketplace"
    label = "marketplace"
    verbose_name = "Marketplace"

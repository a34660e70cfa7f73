from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "agora.storefront"
    label = "storefront"
    verbose_name = "Storefront"

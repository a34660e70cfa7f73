from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "agora.pricing"
    label = "pricing"
    verbose_name = "Pricing"

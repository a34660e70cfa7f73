from django.apps import AppConfig


class FulfillmentConfig(AppConfig):
    name = "agora.fulfillment"
    label = "fulfillment"
    verbose_name = "Fulfilment"

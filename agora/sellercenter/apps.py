from django.apps import AppConfig


class SellerCenterConfig(AppConfig):
    name = "agora.sellercenter"
    label = "sellercenter"
    verbose_name = "Seller center"

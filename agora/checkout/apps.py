from datetime import timedelta

from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "agora.checkout"
    label = "checkout"
    verbose_name = "Checkout"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from agora.checkout.signals import merge_guest_cart_on_login

        user_logged_in.connect(merge_guest_cart_on_login, dispatch_uid="checkout.merge_guest_cart")

        from agora.checkout.retention import retention_rules
        from agora.checkout.tasks import checkouts_sweep
        from agora.core import schedule
        from agora.core.extension_points import retention_rules as retention_point

        schedule.every(timedelta(minutes=1), checkouts_sweep, name="checkout.sweep")
        retention_point.register(retention_rules, key="checkout")

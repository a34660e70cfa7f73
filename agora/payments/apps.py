from datetime import timedelta

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "agora.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from agora.core import schedule
        from agora.payments import handlers  # noqa: F401  (registers the event handlers)
        from agora.payments.tasks import payments_reconcile

        schedule.every(timedelta(minutes=1), payments_reconcile, name="payments.reconcile")

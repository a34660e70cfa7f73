from datetime import timedelta

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "agora.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from agora.accounts import signin  # noqa: F401  (connects the auth signal receivers)
        from agora.accounts.tasks import prune_rate_counters
        from agora.core import schedule

        schedule.every(timedelta(hours=1), prune_rate_counters, name="accounts.prune_rate_counters")

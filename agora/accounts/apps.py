from datetime import timedelta

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "agora.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from agora.accounts import personal_data as mine
        from agora.accounts import signin  # noqa: F401  (connects the auth signal receivers)
        from agora.accounts.retention import retention_rules
        from agora.accounts.tasks import prune_rate_counters
        from agora.core import schedule
        from agora.core.extension_points import personal_data, personal_data_erase
        from agora.core.extension_points import retention_rules as retention_point

        schedule.every(timedelta(hours=1), prune_rate_counters, name="accounts.prune_rate_counters")
        personal_data.register(mine.export, key="accounts")
        personal_data_erase.register(mine.erase, key="accounts")
        retention_point.register(retention_rules, key="accounts")

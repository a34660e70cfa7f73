from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Consent by purpose, a person's data export and erasure (issue 8)."""

    name = "agora.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from agora.privacy import wiring

        wiring.connect()

from django.apps import AppConfig


class TrustConfig(AppConfig):
    """Verified-purchase reviews, notices and moderation with statements of reasons, internal
    appeals and the transparency report (issue 8, item 6; EU DSA Art. 15-17, 20, 24)."""

    name = "agora.trust"
    label = "trust"
    verbose_name = "Trust"

    def ready(self) -> None:
        from agora.trust import wiring

        wiring.connect()

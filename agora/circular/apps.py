from django.apps import AppConfig


class CircularConfig(AppConfig):
    """Circular commerce: resale, rental, trade-in and reusable packaging."""

    name = "agora.circular"
    label = "circular"
    verbose_name = "Circular commerce"

    def ready(self) -> None:
        from agora.circular import wiring

        wiring.connect()

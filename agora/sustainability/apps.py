from django.apps import AppConfig


class SustainabilityConfig(AppConfig):
    """Low-carbon commerce with evidence: delivery and product footprints, green labels."""

    name = "agora.sustainability"
    label = "sustainability"
    verbose_name = "Sustainability"

    def ready(self) -> None:
        from agora.sustainability import wiring

        wiring.connect()

from django.apps import AppConfig


class TraceabilityConfig(AppConfig):
    """Verifiable traceability: EPCIS 2.0 events, an RFC 9162 transparency log, passports."""

    name = "agora.traceability"
    label = "traceability"
    verbose_name = "Traceability"

    def ready(self) -> None:
        from agora.traceability import wiring

        wiring.connect()

"""``agora check``: Django's system checks, then whether the database and broker answer."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as DjangoCheck

from agora.core.connectivity import probe_broker, probe_database


class Command(DjangoCheck):
    help = "Check settings (Django system checks), database reachability and broker reachability."

    def handle(self, *app_labels, **options):  # type: ignore[no-untyped-def]
        super().handle(*app_labels, **options)
        failures = 0
        for probe in (probe_database(), probe_broker()):
            mark = self.style.SUCCESS("ok  ") if probe.ok else self.style.ERROR("FAIL")
            self.stdout.write(f"{mark} {probe.name}: {probe.detail}")
            failures += not probe.ok
        if failures:
            raise CommandError(f"{failures} check(s) failed")

"""``agora demo``: builds the demo store (idempotent). See :mod:`agora.demo.build`."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from agora.core.consent import ANALYTICS, PERSONALISATION, subject_of_user
from agora.core.progress import counter
from agora.demo.build import BuildReport, build_demo, database_has_sellers, summary
from agora.demo.generate import DEFAULT_SEED, build_spec
from agora.orders.models import Order
from agora.privacy.services import consent_seed
from agora.recommendations.models import Signal
from agora.recommendations.signals import signals_rebuild
from agora.recommendations.training import models_dir, train_and_save
from agora.search.indexing import rebuild as search_rebuild

URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Build the demo store: six sellers from six countries, 300+ products in English and "
        "Simplified Chinese, prices in EUR/GBP/CNY with history, stock, and demo logins. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has any seller (used by `make run`)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"random seed of the generated catalogue (default {DEFAULT_SEED})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        spec = build_spec(options["seed"])
        if options["if_empty"] and database_has_sellers():
            report = None
        else:
            with counter(
                "Building the demo store", command=self, verbosity=options["verbosity"]
            ) as progress:
                report = build_demo(spec, progress=progress)
            # The index follows product events, which the worker applies once `agora serve`
            # runs; building it now (0.4 s for the demo) makes the store searchable at once.
            search_rebuild()
            _recommendations(report)
        seconds = time.perf_counter() - started
        self.stdout.write(summary(spec, report, seconds=seconds, url=URL), ending="")


def _buyers_consent() -> None:
    """The demo's buyers agreed to analytics and personalisation (recommendations use nobody's
    purchases without it); a real buyer decides on the consent banner."""
    buyers = Order.objects.exclude(buyer_id=None).values_list("buyer_id", flat=True).distinct()
    consent_seed(
        subjects=[subject_of_user(pk) for pk in buyers], purposes=[ANALYTICS, PERSONALISATION]
    )


def _recommendations(report: BuildReport) -> None:
    """Purchase signals from the new past orders and a model trained on them (0.2 s for the
    demo), so personal recommendations show at once; nothing when the orders and a model were
    there already (a second run writes nothing)."""
    if report.created["past orders"]:
        _buyers_consent()
        signals_rebuild()
    elif (models_dir() / "LATEST").exists() or not Signal.objects.filter(
        kind=Signal.Kind.PURCHASE
    ).exists():
        return
    train_and_save()

"""Importing a directory of Online Retail files: one transaction per file through
:func:`agora.orders.imports.order_import_batch`; memory holds one file at a time plus small
caches keyed by SKU and customer.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError

from agora.core.actors import Actor, system
from agora.core.errors import AgoraError
from agora.imports.online_retail.rows import (
    CURRENCY,
    DayFile,
    NotACsvFile,
    Reason,
    RejectedExample,
    customer_of,
    read_day_file,
)
from agora.marketplace.models import Seller
from agora.marketplace.services import seller_apply, seller_transition
from agora.marketplace.states import SellerState
from agora.orders.imports import ImportBatchResult, ImportCache, order_import_batch

SELLER_SLUG = "online-retail"


class ImportInputError(Exception):
    """The input cannot be imported at all (no such directory, no CSV files in it)."""


def day_files(directory: Path) -> list[Path]:
    """The ``*.csv`` files of ``directory`` in name order (by-day names sort by date)."""
    if not directory.exists():
        raise ImportInputError(f"{directory}: no such directory")
    if not directory.is_dir():
        raise ImportInputError(f"{directory}: not a directory (expected a folder of CSV files)")
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if not files:
        raise ImportInputError(f"{directory}: holds no .csv files")
    return files


@dataclass
class ImportReport:
    files: int = 0
    rows: int = 0
    rows_accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    invoices: set[str] = field(default_factory=set)
    orders: int = 0
    new_orders: int = 0
    new_lines: int = 0
    customers: set[int] = field(default_factory=set)
    new_customers: int = 0
    products: set[str] = field(default_factory=set)
    new_products: int = 0
    new_title_changes: int = 0
    new_price_changes: int = 0
    returns_accepted: int = 0
    new_return_lines: int = 0
    failed_files: list[dict[str, str]] = field(default_factory=list)
    examples: list[RejectedExample] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """The figures as JSON types, sets replaced by their sizes."""
        return {
            "files": self.files,
            "files_failed": len(self.failed_files),
            "rows": self.rows,
            "rows_accepted": self.rows_accepted,
            "rejected": dict(sorted(self.rejected.items())),
            "invoices": len(self.invoices),
            "orders": self.orders,
            "new_orders": self.new_orders,
            "new_lines": self.new_lines,
            "customers": len(self.customers),
            "new_customers": self.new_customers,
            "products": len(self.products),
            "new_products": self.new_products,
            "new_title_changes": self.new_title_changes,
            "new_price_changes": self.new_price_changes,
            "returns_accepted": self.returns_accepted,
            "new_return_lines": self.new_return_lines,
            "seconds": round(self.seconds, 3),
            "rows_per_s": round(self.rows / self.seconds) if self.seconds else None,
            "failed_files": self.failed_files,
            "rejected_examples": [vars(e) for e in self.examples],
        }


def retailer_seller(actor: Actor) -> Seller:
    """The seller holding the data set: created and made active on the first run, found by its
    slug afterwards. A seller an operator suspended is not silently re-activated."""
    seller = Seller.objects.filter(slug=SELLER_SLUG).first()
    if seller is None:
        seller = seller_apply(
            actor=actor,
            display_name="Online Retail (UCI)",
            legal_name="UK online gift-ware retailer (UCI Online Retail data set)",
            country="GB",
            payout_currency=CURRENCY,
            slug=SELLER_SLUG,
        )
    if seller.state == SellerState.APPLIED:
        seller = seller_transition(actor=actor, seller=seller, to=SellerState.VERIFIED)
    if seller.state == SellerState.VERIFIED:
        seller = seller_transition(actor=actor, seller=seller, to=SellerState.ACTIVE)
    if seller.state != SellerState.ACTIVE:
        raise ImportInputError(
            f"seller {SELLER_SLUG!r} is {seller.state}; make it active before importing into it"
        )
    return seller


FileCallback = Callable[[Path, "DayFile | None", ImportReport], None]


def import_online_retail(
    directory: Path,
    *,
    actor: Actor | None = None,
    on_file: FileCallback | None = None,
    examples_per_reason: int = 3,
) -> ImportReport:
    """Imports every ``*.csv`` of ``directory``, one transaction per file, and reports.

    A file that is not this data set's CSV is recorded in ``failed_files`` and skipped whole;
    the other files are still imported (the caller decides the exit status). Re-running over
    the same files writes nothing and reports ``new_orders == 0``.
    """
    files = day_files(directory)
    actor = actor or system("import online-retail")
    started = time.perf_counter()
    report = ImportReport()
    seller = retailer_seller(actor)
    cache = ImportCache()
    for path in files:
        day: DayFile | None = None
        try:
            day = read_day_file(path, examples_per_reason=examples_per_reason)
            result = order_import_batch(actor=actor, seller=seller, batch=day.batch, cache=cache)
        except NotACsvFile as exc:
            report.failed_files.append({"file": str(path), "error": str(exc)})
            day = None
        except (DatabaseError, AgoraError) as exc:
            report.failed_files.append({"file": str(path), "error": f"{path}: {exc}"})
            day = None
        else:
            _add(report, day, result, examples_per_reason)
        report.files += 1
        report.seconds = time.perf_counter() - started
        if on_file is not None:
            on_file(path, day, report)
    report.seconds = time.perf_counter() - started
    return report


def _add(report: ImportReport, day: DayFile, result: ImportBatchResult, keep: int) -> None:
    """Adds one imported file to the run's figures; returns that found no original sale become
    ``cancellation_without_original`` rejections."""
    rejected = Counter(day.rejected)
    examples = list(day.examples)
    for r in result.unmatched_returns:
        reason = Reason.CANCELLATION_WITHOUT_ORIGINAL
        rejected[reason] += 1
        if sum(e.reason == reason for e in examples) < keep:
            detail = (
                f"no earlier line of customer {customer_of(r.buyer_email)} for {r.sku} "
                f"with {r.quantity} unit(s) not yet returned"
            )
            line = day.file_lines[(r.invoice, r.line_no)]
            examples.append(RejectedExample(day.path.name, line, r.invoice, reason, detail))
    report.rows += day.rows
    report.rejected.update(rejected)
    report.rows_accepted += day.rows - sum(rejected.values())
    report.invoices.update(day.batch.invoices)
    report.orders += result.orders
    report.new_orders += result.new_orders
    report.new_lines += result.new_lines
    report.customers.update(day.customers)
    report.new_customers += result.new_buyers
    report.products.update(day.skus)
    report.new_products += result.new_products
    report.new_title_changes += result.new_title_changes
    report.new_price_changes += result.new_price_changes
    report.returns_accepted += len(day.batch.returns) - len(result.unmatched_returns)
    report.new_return_lines += result.new_return_lines
    for example in examples:
        if sum(e.reason == example.reason for e in report.examples) < keep:
            report.examples.append(example)

"""Writing a checked CSV through the catalogue and pricing services, in one transaction.

All or nothing by default: a file with any bad row writes nothing. With ``valid_only`` the
products whose rows all passed are written and the rest are reported; a product a service still
refuses (e.g. a SKU taken by a concurrent upload) is rolled back on its own savepoint and
reported against its rows, never half-written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from agora.catalog.models import Category, Variant
from agora.core.actors import Actor
from agora.core.errors import AgoraError
from agora.marketplace.models import Seller
from agora.pricing.services import PricedVariantInput, product_create_priced
from agora.sellercenter.bulk.parse import ParseResult, ProductDraft, RowError, parse_csv


@dataclass
class UploadReport:
    errors: list[RowError]
    rows: int
    created: list[str] = field(default_factory=list)  # public ids of the products written
    skipped_rows: list[int] = field(default_factory=list)
    refused: bool = False  # nothing was written because the file was not clean

    @property
    def ok(self) -> bool:
        return not self.errors


def read_upload(*, seller: Seller, data: bytes) -> ParseResult:
    """Parses ``data`` against the seller's stored SKUs and the platform's categories."""
    return parse_csv(
        data,
        categories=set(Category.objects.values_list("slug", flat=True)),
        taken_skus=set(Variant.objects.filter(seller=seller).values_list("sku", flat=True)),
    )


def _create(
    actor: Actor, seller: Seller, draft: ProductDraft, categories: dict[str, Category]
) -> str:
    product = product_create_priced(
        actor=actor,
        seller=seller,
        title=draft.title,
        description=draft.description,
        language="en",
        translations=draft.translations,
        category=categories.get(draft.category),
        variants=[
            PricedVariantInput(
                sku=v.sku,
                gtin=v.gtin,
                title=v.title,
                options=v.options,
                weight_grams=v.weight_grams,
                prices=[(v.currency, v.price_minor)],
            )
            for v in draft.variants
        ],
    )
    return product.public_id


def _service_errors(draft: ProductDraft, exc: AgoraError) -> list[RowError]:
    message = _("Refused when saving: %(detail)s") % {"detail": exc.detail}
    column = exc.errors[0].field.rsplit(".", 1)[-1] if exc.errors else ""
    return [RowError(draft.first_row, column, message)]


def upload_products(
    *, actor: Actor, seller: Seller, data: bytes, valid_only: bool = False
) -> UploadReport:
    """Checks the whole file, then writes it (or its valid products) in one transaction."""
    parsed = read_upload(seller=seller, data=data)
    report = UploadReport(errors=list(parsed.errors), rows=parsed.rows)
    if parsed.file_refused or (parsed.errors and not valid_only):
        report.refused = True
        return report
    drafts = parsed.valid_products
    report.skipped_rows = sorted({r for p in parsed.products if p not in drafts for r in p.rows})
    wanted = {d.category for d in drafts if d.category}
    categories = {c.slug: c for c in Category.objects.filter(slug__in=wanted)}
    failed: list[RowError] = []
    try:
        with transaction.atomic():
            for draft in drafts:
                try:
                    if valid_only:
                        with transaction.atomic():
                            report.created.append(_create(actor, seller, draft, categories))
                    else:
                        report.created.append(_create(actor, seller, draft, categories))
                except AgoraError as exc:
                    failed.extend(_service_errors(draft, exc))
                    if not valid_only:
                        raise
                    report.skipped_rows.extend(draft.rows)
    except AgoraError:
        report.created = []
        report.refused = True
    report.errors.extend(failed)
    report.errors.sort(key=lambda e: (e.row, e.column))
    report.skipped_rows.sort()
    return report

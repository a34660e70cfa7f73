"""Bulk product upload from CSV: the documented columns, a template to download, and a report of
every bad row (row, column, message)."""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agora.catalog.selectors import category_list
from agora.sellercenter.access import seller_page
from agora.sellercenter.bulk.columns import COLUMNS, EXAMPLE_ROWS, NAMES
from agora.sellercenter.bulk.load import upload_products
from agora.sellercenter.forms.products import UploadForm
from agora.sellercenter.views.common import INVALID, page


@seller_page("catalog:write")
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            report = upload_products(
                actor=request.desk.actor,  # type: ignore[attr-defined]
                seller=request.desk.seller,  # type: ignore[attr-defined]
                data=form.cleaned_data["file"].read(),
                valid_only=form.cleaned_data["valid_only"],
            )
            status = INVALID if report.refused else 200
        else:
            status = INVALID
    return page(
        request,
        "sellercenter/products/upload.html",
        _("Upload products from CSV"),
        "products",
        {"form": form, "report": report, "columns": COLUMNS, "categories": category_list()},
        partial="report",
        status=status,
    )


@seller_page("catalog:read")
def upload_template(request: HttpRequest) -> HttpResponse:
    """The column set with two example rows, as a file the seller fills in."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=NAMES, lineterminator="\r\n")
    writer.writeheader()
    for row in EXAMPLE_ROWS:
        writer.writerow(row)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agora-products.csv"'
    return response

"""The admin site of the operator console: Django's admin plus the operator pages, linked from
the index. Every app's ``admin.py`` registers into it (it is ``admin.site``, see
:class:`agora.operator.apps.OperatorAdminConfig`)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import admin
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from agora.operator import green, views


class OperatorSite(admin.AdminSite):
    site_header = _("Agora operator console")
    site_title = _("Agora operator console")
    index_title = _("Operations")
    index_template = "operator/index.html"

    def get_urls(self) -> list[URLResolver | URLPattern]:
        pages = [
            path(
                "operator/applications/",
                self.admin_view(partial(views.seller_applications_view, self)),
                name="operator_applications",
            ),
            path(
                "operator/sales/",
                self.admin_view(partial(views.platform_sales_view, self)),
                name="operator_sales",
            ),
            path(
                "operator/sustainability/",
                self.admin_view(partial(green.green_dashboard_view, self)),
                name="operator_green",
            ),
        ]
        return pages + super().get_urls()

    def each_context(self, request: Any) -> dict[str, Any]:
        context = super().each_context(request)
        context["operator_pages"] = [
            ("admin:operator_applications", _("Seller applications")),
            ("admin:operator_sales", _("Platform sales")),
            ("admin:operator_green", _("Sustainability dashboard")),
        ]
        return context

"""The admin site of the operator console: Django's admin plus the operator pages, linked from
the index. Every app's ``admin.py`` registers into it (it is ``admin.site``, see
:class:`agora.operator.apps.OperatorAdminConfig`)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from agora.accounts.admin_login import LockoutAwareAdminAuthenticationForm
from agora.accounts.throttle import lock_wait
from agora.circular.tradein import console as tradein_console
from agora.operator import green, rental, resale, security, views
from agora.trust import console as trust_console


class OperatorSite(admin.AdminSite):
    site_header = _("Agora operator console")
    site_title = _("Agora operator console")
    index_title = _("Operations")
    index_template = "operator/index.html"
    # Says "sign-in is locked until …" instead of "wrong password" during a lock-out.
    login_form = LockoutAwareAdminAuthenticationForm

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """Django's admin login; a refusal because of the lock-out is a 429 with Retry-After,
        as on the storefront's login page."""
        response: HttpResponse = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        until = getattr(form, "locked_until", None)
        if until is not None:
            response.status_code = 429
            response["Retry-After"] = str(lock_wait(until)[0])
        return response

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
            path(
                "operator/resale/",
                self.admin_view(partial(resale.resale_queue_view, self)),
                name="operator_resale",
            ),
            path(
                "operator/resale/<str:request_id>/",
                self.admin_view(partial(resale.resale_detail_view, self)),
                name="operator_resale_detail",
            ),
            # issue 7 C3: the trade-in queue and one trade-in (agora/circular/tradein/console.py)
            path(
                "operator/trade-ins/",
                self.admin_view(partial(tradein_console.tradein_queue_view, self)),
                name="operator_tradein",
            ),
            path(
                "operator/trade-ins/<str:tradein_id>/",
                self.admin_view(partial(tradein_console.tradein_detail_view, self)),
                name="operator_tradein_detail",
            ),
            # issue 7 C1: disputed rental damage claims and their decision (operator/rental.py)
            path(
                "operator/rental-claims/",
                self.admin_view(partial(rental.rental_claims_view, self)),
                name="operator_rental_claims",
            ),
            path(
                "operator/rental-claims/<str:claim_id>/",
                self.admin_view(partial(rental.rental_claim_view, self)),
                name="operator_rental_claim",
            ),
            # issue 8 item 6: notices, decisions with statements of reasons, appeals
            path(
                "operator/moderation/",
                self.admin_view(partial(trust_console.moderation_queue_view, self)),
                name="operator_moderation",
            ),
            path(
                "operator/moderation/notices/<str:notice_id>/",
                self.admin_view(partial(trust_console.notice_decide_view, self)),
                name="operator_moderation_notice",
            ),
            path(
                "operator/moderation/appeals/<str:appeal_id>/",
                self.admin_view(partial(trust_console.appeal_decide_view, self)),
                name="operator_moderation_appeal",
            ),
            # issue 8: every account's security events, filtered by kind and account
            path(
                "operator/security-events/",
                self.admin_view(partial(security.security_events_view, self)),
                name="operator_security_events",
            ),
        ]
        return pages + super().get_urls()

    def each_context(self, request: Any) -> dict[str, Any]:
        context = super().each_context(request)
        context["operator_pages"] = [
            ("admin:operator_applications", _("Seller applications")),
            ("admin:operator_sales", _("Platform sales")),
            ("admin:operator_green", _("Sustainability dashboard")),
            ("admin:operator_resale", _("Resale inspection")),
            ("admin:operator_tradein", _("Trade-ins")),
            ("admin:operator_rental_claims", _("Rental damage claims")),
            ("admin:operator_moderation", _("Moderation")),
            ("admin:operator_security_events", _("Security events")),
        ]
        return context

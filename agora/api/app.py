"""Assembles the platform API at /api/v1 from each app's router."""

from __future__ import annotations

from django.urls import URLPattern, re_path
from ninja import NinjaAPI

from agora.accounts.api import router as accounts_router
from agora.api import problems
from agora.catalog.api import public as catalog_public
from agora.catalog.api import seller as catalog_seller
from agora.checkout.api import router as checkout_router
from agora.checkout.api import seller_router as shipping_router
from agora.checkout.buyer_api import router as buyer_router
from agora.circular.rental.api import router as rental_router
from agora.circular.resale.api import router as resale_router
from agora.circular.tradein.api import router as tradein_router
from agora.fulfillment.api import router as fulfillment_router
from agora.orders.api import router as orders_router
from agora.payments.api import router as payments_router
from agora.pricing.api import router as pricing_router
from agora.privacy.api import router as privacy_router
from agora.privacy.dp.api import router as insights_router
from agora.recommendations.api import router as recommendations_router
from agora.search.api import router as search_router
from agora.sustainability.delivery.api import router as delivery_modes_router
from agora.sustainability.delivery.api import seller_router as delivery_legs_router
from agora.traceability.capture.api import router as epcis_router
from agora.traceability.log.api import router as trace_log_router
from agora.traceability.passports.api import router as passports_router
from agora.trust.api import router as trust_router
from agora.webhooks.api import app_router as app_webhooks_router
from agora.webhooks.api import router as webhooks_router


class AgoraAPI(NinjaAPI):
    """Ninja answers a wrong method, and Django an unknown path, with HTML; under /api/v1/ both
    are problem documents like every other error."""

    def _get_urls(self):  # type: ignore[no-untyped-def]
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = problems.problem_for_405(self, pattern.callback)
        # [\s\S], not `.`: a path with a newline (%0A) is unknown too, not Django's HTML 404.
        urls.append(re_path(r"^[\s\S]*$", problems.unknown_route(self), name="unknown-route"))
        return urls


api = AgoraAPI(
    title="Agora platform API",
    version="1.0.0",
    description=(
        "The REST API of the Agora marketplace. Public catalogue reads need no key; seller "
        "endpoints need `Authorization: Bearer agora_sk_…`. Errors are RFC 9457 problem "
        "documents whose `type` is stable (see /problems/). POSTs honour `Idempotency-Key`. "
        "Lists are cursor-paginated: pass `next_cursor` back as `cursor`."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("", catalog_public)
api.add_router("", catalog_seller)
api.add_router("", pricing_router)
api.add_router("", accounts_router)
api.add_router("", checkout_router)
api.add_router("", shipping_router)
api.add_router("", orders_router)
api.add_router("", fulfillment_router)
api.add_router("", webhooks_router)
api.add_router("", app_webhooks_router)
api.add_router("", buyer_router)
api.add_router("", payments_router)
api.add_router("", search_router)
api.add_router("", recommendations_router)
api.add_router("", epcis_router)
api.add_router("", trace_log_router)
api.add_router("", passports_router)
api.add_router("", delivery_modes_router)
api.add_router("", privacy_router)
api.add_router("", insights_router)
api.add_router("", delivery_legs_router)
api.add_router("", rental_router)
api.add_router("", resale_router)
api.add_router("", tradein_router)
api.add_router("", trust_router)

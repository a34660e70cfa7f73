import os

from django.contrib import admin
from django.urls import include, path

from agora.api.app import api
from agora.core.media import serve_media

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the language switch
    path("seller/", include("agora.sellercenter.urls")),
    path("media/<path:path>", serve_media, name="media"),
    path("recommendations/", include("agora.recommendations.urls")),
    path("sustainability/labels/", include("agora.sustainability.labels.urls")),
    # GS1 Digital Link resolver (/01/<gtin>/…, /.well-known/gs1resolver) and passport pages
    path("", include("agora.traceability.passports.urls")),
    # issue 7 S1: the buyer's delivery emissions per year (/account/delivery-footprint/)
    path("", include("agora.sustainability.delivery.urls")),
    # issue 7 C1: rental booking and the renter's pages (/rent/book/, /account/rentals/)
    path("", include("agora.circular.rental.urls")),
    # issue 7 C2: "Resell this" on the buyer's order page (/orders/<id>/resell/)
    path("", include("agora.circular.resale.urls")),
    # issue 7 C3: trade-in and store credit (/account/trade-in/, /account/store-credit/)
    path("", include("agora.circular.tradein.urls")),
    # issue 8: consent banner and the privacy page (/privacy/)
    path("", include("agora.privacy.urls")),
    # issue 8 item 6: reviews, reports, notices, appeals, the transparency report
    path("", include("agora.trust.urls")),
    path("", include("agora.storefront.urls")),
]

# bench/flash_sale.py's HTTP floor (a bare view replaying one checkout's writes); it exists only
# on the benchmark's own throw-away server, started with AGORA_BENCH_FLOOR=1.
if os.environ.get("AGORA_BENCH_FLOOR") == "1":  # pragma: no cover - benchmark only
    from agora import benchfloor

    urlpatterns = benchfloor.urlpatterns() + urlpatterns

"""The buyer's trade-in and store-credit pages; included before the storefront's routes."""

from django.urls import path

from agora.circular.tradein import pages

app_name = "tradein"
urlpatterns = [
    path("account/trade-in/", pages.mine, name="mine"),
    path("account/trade-in/<str:tradein_id>/", pages.detail, name="detail"),
    path("account/trade-in/<str:tradein_id>/accept/", pages.accept, name="accept"),
    path("account/trade-in/<str:tradein_id>/cancel/", pages.cancel, name="cancel"),
    path("account/trade-in/<str:tradein_id>/shipped/", pages.ship, name="ship"),
    path(
        "account/trade-in/<str:tradein_id>/revised/accept/",
        pages.accept_revised,
        name="accept_revised",
    ),
    path(
        "account/trade-in/<str:tradein_id>/revised/refuse/",
        pages.refuse_revised,
        name="refuse_revised",
    ),
    path("account/trade-in/<str:tradein_id>/label.pdf", pages.label_download, name="label"),
    path("account/store-credit/", pages.store_credit, name="store_credit"),
]

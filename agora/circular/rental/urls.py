"""The renter's rental pages (the product page's "Rent" section is a template tag). Included
before the storefront's routes."""

from django.urls import path

from agora.circular.rental import pages

app_name = "rental"
urlpatterns = [
    path("rent/book/", pages.book, name="book"),
    path("account/rentals/", pages.mine, name="mine"),
    path("account/rentals/<str:booking_id>/cancel/", pages.cancel, name="cancel"),
    path("account/rentals/claims/<str:claim_id>/accept/", pages.claim_accept, name="claim_accept"),
    path(
        "account/rentals/claims/<str:claim_id>/dispute/", pages.claim_dispute, name="claim_dispute"
    ),
]

"""Resale pages; included before the storefront's routes."""

from django.urls import path

from agora.circular.resale import pages

app_name = "resale"
urlpatterns = [
    path("orders/<str:order_id>/resell/", pages.resell, name="resell"),
]

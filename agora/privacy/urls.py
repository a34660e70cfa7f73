"""Privacy pages (included at the site root)."""

from django.urls import path

from agora.privacy import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.privacy_page, name="page"),
    path("privacy/consent/", views.banner, name="banner"),
]

"""Privacy pages (included at the site root)."""

from django.urls import path

from agora.privacy import views
from agora.privacy.rights import views as rights

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.privacy_page, name="page"),
    path("privacy/consent/", views.banner, name="banner"),
    path(
        "privacy/export/<str:token>/my-data.<str:fmt>",
        rights.export_download,
        name="export",
    ),
    path("privacy/erase/", rights.erase, name="erase"),
    path("privacy/erased/", rights.erased, name="erased"),
]

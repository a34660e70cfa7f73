"""The resolver at the site root (GS1 Digital Link URIs are ``https://<host>/01/<gtin>/…``) and
the passport pages under ``/passports/``. Included before the storefront's routes."""

from django.urls import path, re_path

from agora.traceability.passports import resolver, views

app_name = "traceability"
urlpatterns = [
    re_path(r"^01/(?P<rest>.*)$", resolver.resolve_view, name="resolve"),
    path(".well-known/gs1resolver", resolver.description_view, name="resolver_description"),
    path("passports/certificates/", views.my_certificates, name="my_certificates"),
    path("passports/certificates/redeem/", views.certificate_redeem, name="certificate_redeem"),
    path("passports/certificates/<str:public_id>/", views.certificate_page, name="certificate"),
    path(
        "passports/certificates/<str:public_id>/note",
        views.certificate_note,
        name="certificate_note",
    ),
    path(
        "passports/certificates/<str:public_id>/transfer/",
        views.certificate_transfer,
        name="certificate_transfer",
    ),
    re_path(r"^passports/qr/(?P<gtin>[0-9]{1,14})\.(?P<fmt>svg|png)$", views.qr_image, name="qr"),
    re_path(r"^passports/labels/(?P<gtin>[0-9]{1,14})\.pdf$", views.label_sheet, name="labels"),
    path("passports/<str:gtin>/", views.passport, name="passport"),
]

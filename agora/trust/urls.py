"""Trust's pages (included at the site root, before the storefront)."""

from django.urls import path

from agora.trust import views

app_name = "trust"
urlpatterns = [
    path("reviews/<str:product_id>/write/", views.review_write, name="review_write"),
    path("report/", views.report, name="report"),
    path("report/<str:notice_id>/", views.report_receipt, name="report_receipt"),
    path("account/notices/", views.my_notices, name="my_notices"),
    path("notices/<str:decision_id>/appeal/", views.appeal, name="appeal"),
    path("transparency/", views.transparency_page, name="transparency"),
]

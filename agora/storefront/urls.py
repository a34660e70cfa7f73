from django.urls import path

from agora.storefront import views

app_name = "storefront"
urlpatterns = [
    path("", views.home, name="home"),
    path("problems/", views.problem_index, name="problems"),
    path("problems/<slug:slug>", views.problem_detail, name="problem"),
]

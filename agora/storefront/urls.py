from django.contrib.auth import views as auth_views
from django.urls import path

from agora.storefront import views

app_name = "storefront"
urlpatterns = [
    path("", views.home, name="home"),
    path("problems/", views.problem_index, name="problems"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="storefront/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("problems/<slug:slug>", views.problem_detail, name="problem"),
]

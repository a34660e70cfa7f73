from django.contrib.auth import views as auth_views
from django.urls import path

from agora.storefront.views import pages

app_name = "storefront"
urlpatterns = [
    path("", pages.home, name="home"),
    path("problems/", pages.problem_index, name="problems"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="storefront/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("problems/<slug:slug>", pages.problem_detail, name="problem"),
]

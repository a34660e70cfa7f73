from django.urls import path

from agora.recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("", views.why, name="why"),
    path("profiling/", views.set_profiling, name="profiling"),
    path("not-interested/", views.not_interested, name="not_interested"),
]

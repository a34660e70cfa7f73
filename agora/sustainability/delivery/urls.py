from django.urls import path

from agora.sustainability.delivery import views

app_name = "delivery_footprint"

urlpatterns = [
    path("account/delivery-footprint/", views.my_delivery_footprint, name="mine"),
]

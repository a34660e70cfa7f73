from django.urls import path

from agora.sustainability.labels import views

app_name = "sustainability_labels"
urlpatterns = [
    path("<str:public_id>/", views.evidence, name="evidence"),
    path("<str:public_id>/document", views.document, name="document"),
]

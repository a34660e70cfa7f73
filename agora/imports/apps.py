from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "agora.imports"
    label = "imports"
    verbose_name = "Imports"

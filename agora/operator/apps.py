from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps  # not AdminConfig itself: it is a default


class OperatorConfig(AppConfig):
    default = True
    name = "agora.operator"
    label = "operator"
    verbose_name = "Operator console"


class OperatorAdminConfig(admin_apps.AdminConfig):
    """Django's admin with :class:`agora.operator.site.OperatorSite` as ``admin.site``, so every
    app's ``admin.py`` registers into the site that also serves the operator pages."""

    default = False
    default_site = "agora.operator.site.OperatorSite"

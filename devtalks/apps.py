from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevtalksConfig(AppConfig):
    name = "devtalks"
    verbose_name = _("Development talks")

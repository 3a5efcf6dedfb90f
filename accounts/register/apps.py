from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "accounts.register"
    label = "register"
    verbose_name = _("Pupil register import")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and organisation")

    def ready(self):
        from . import audiences, signals  # noqa: F401  (connect receivers, register audit)

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


def _lexicon_changed(sender, **kwargs):
    from .checker import invalidate

    invalidate()


class ContentConfig(AppConfig):
    name = "unikum.content"
    label = "content"
    verbose_name = _("Content checker")

    def ready(self):
        from .fields import check_before_save
        from .models import ContentTerm

        pre_save.connect(check_before_save, dispatch_uid="content-check-before-save")
        post_save.connect(_lexicon_changed, sender=ContentTerm, dispatch_uid="content-term-saved")
        post_delete.connect(_lexicon_changed, sender=ContentTerm, dispatch_uid="content-term-deleted")

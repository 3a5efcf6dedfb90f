"""Access entries: who read which integrity-sensitive record, and when.

django-auditlog records every write; this records reads, so a rektor can
answer "who has read this pupil's documentation?".
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))

    def about_person(self, person):
        return self.filter(subject=person)


class AccessEntry(models.Model):
    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("read by")
    )
    # The person the record is about, so all reads of one pupil's records can be listed.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about"),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=255)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    objects = AccessEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("access entry")
        verbose_name_plural = _("access entries")
        ordering = ["-timestamp"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="access_entry_object")]

    def __str__(self):
        return f"{self.actor} → {self.object_repr}"

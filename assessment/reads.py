"""Access logging for assessments: every read by anyone but the author or the pupil it is about."""

from django.contrib.contenttypes.models import ContentType

from unikum.audit.access import log_access
from unikum.audit.models import AccessEntry


def log_read(request, obj, pupil, author_id) -> None:
    if request.user.pk == author_id:
        return
    log_access(request, obj, subject=pupil)


def log_reads(request, records) -> None:
    """Log reads of many records in one insert: ``records`` are (obj, pupil, author_id)."""
    user = request.user
    rows = [
        AccessEntry(
            actor=user,
            subject=pupil,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:255],
            remote_addr=request.META.get("REMOTE_ADDR") or None,
        )
        for obj, pupil, author_id in records
        if author_id != user.pk and (pupil is None or pupil.pk != user.pk)
    ]
    if rows:
        AccessEntry.objects.bulk_create(rows)

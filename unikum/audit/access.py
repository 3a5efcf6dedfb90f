"""Log reads of sensitive records. Call from the view that shows the record."""

from django.contrib.contenttypes.models import ContentType

from .models import AccessEntry


def log_access(request, obj, subject=None) -> AccessEntry | None:
    """Record that ``request.user`` read ``obj`` (about ``subject``, a person).

    A person reading their own record is not logged: the log answers who else
    has read it.
    """
    user = request.user
    if subject is not None and subject.pk == user.pk:
        return None
    return AccessEntry.objects.create(
        actor=user,
        subject=subject,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        remote_addr=request.META.get("REMOTE_ADDR") or None,
    )

"""One access helper per protected type: fetch through what the user may see, or 404.

Views call these on their first line. A missing object and a forbidden one look
the same from outside, so ids leak nothing.
"""

from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from .models import PupilGroup, User


def visible(user, perm, queryset):
    """The objects in ``queryset`` on which ``user`` holds ``perm`` through an object grant."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    return get_objects_for_user(user, perm, klass=queryset, accept_global_perms=False)


def _one(queryset):
    obj = queryset.first()
    if obj is None:
        raise Http404
    return obj


def get_pupil_for_user(request, code) -> User:
    """A pupil the user meets as staff (teacher, mentor, rektor, admin of the pupil's school)."""
    return _one(visible(request.user, "accounts.view_user", User.objects.filter(code=code)))


def get_group_for_user(request, code) -> PupilGroup:
    return _one(
        visible(request.user, "accounts.view_pupilgroup", PupilGroup.objects.select_related("school").filter(code=code))
    )


def can_see_roster(user, group) -> bool:
    return visible(user, "accounts.view_roster", PupilGroup.objects.filter(pk=group.pk)).exists()

"""One access helper per protected type: fetch through what the user may see, or 404.

Seeing a plan is an object permission granted to audiences
(``planning.permissions``). Changing it is for its authors: the person who
wrote it and the co-authors they named; the authors must still see it, so a
teacher who leaves the school loses both at once.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404

from accounts.access import visible

from .models import Announcement, Attachment, Plan
from .permissions import VIEW_ANNOUNCEMENT, VIEW_PLAN


def visible_plans(user, queryset=None):
    return visible(user, VIEW_PLAN, queryset if queryset is not None else Plan.objects.all())


def visible_announcements(user, queryset=None):
    return visible(user, VIEW_ANNOUNCEMENT, queryset if queryset is not None else Announcement.objects.all())


def _one(queryset):
    obj = queryset.first()
    if obj is None:
        raise Http404
    return obj


def get_plan_for_user(request, code) -> Plan:
    return _one(
        visible_plans(request.user, Plan.objects.filter(code=code))
        .select_related("school", "subject", "course", "created_by")
        .prefetch_related("groups", "co_authors")
    )


def get_plan_for_editing(request, code) -> Plan:
    """The plan, if the user is one of its authors; 403 if they may only see it, 404 if not even that."""
    plan = get_plan_for_user(request, code)
    if not plan.is_author(request.user):
        raise PermissionDenied
    return plan


def get_attachment_for_user(request, code, attachment_code) -> Attachment:
    plan = get_plan_for_user(request, code)
    return _one(Attachment.objects.filter(plan=plan, code=attachment_code).select_related("plan"))


def get_announcement_for_user(request, code) -> Announcement:
    user = request.user
    queryset = visible_announcements(user, Announcement.objects.filter(code=code)).select_related("school")
    announcement = _one(queryset.prefetch_related(Prefetch("groups")))
    if announcement.created_by_id != user.pk and not announcement.is_published() and not user.is_staff_member():
        raise Http404
    return announcement

"""Min sida block: the newest published plans, a link to all plans, and general information.

One block with few queries: Min sida is the most visited page.
"""

from django.db.models import IntegerField, Q, Value

from accounts.models import Enrolment, Guardianship, SchoolRole, StaffAssignment

from .access import visible_announcements, visible_plans

NEWEST = 5


def planning_section(request):
    user = request.user
    if not user.is_authenticated:
        return None
    groups, is_staff = _groups_and_staff(user)
    plans = []
    if groups:
        plans = list(
            visible_plans(user)
            .published()
            .filter(groups__in=groups)
            .distinct()
            .select_related("subject", "course")
            .current_first()[:NEWEST]
        )
    announcements = list(visible_announcements(user).published().select_related("school")[:NEWEST])
    if not (groups or is_staff or announcements):
        return None
    return "planning/home_section.html", {
        "show_plans": bool(groups or is_staff),
        "is_staff": is_staff,
        "plans": plans,
        "announcements": announcements,
    }


def _groups_and_staff(user):
    """The groups of the person and of the children in their custody, and whether they work
    at a school: one query."""
    zero, one = Value(0, output_field=IntegerField()), Value(1, output_field=IntegerField())
    wards = Guardianship.objects.current().filter(guardian=user, has_custody=True).values("pupil_id")
    enrolments = (
        Enrolment.objects.current()
        .filter(Q(pupil=user) | Q(pupil__in=wards, pupil__is_active=True))
        .values_list("group_id", zero)
    )
    roles = SchoolRole.objects.current().filter(user=user).values_list(zero, one)
    assignments = StaffAssignment.objects.current().filter(staff=user).values_list(zero, one)
    rows = list(enrolments.union(roles, assignments))
    return {group_id for group_id, staff in rows if not staff}, any(staff for _, staff in rows)

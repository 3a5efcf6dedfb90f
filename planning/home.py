"""Min sida blocks: links to plans, the newest published plans and general information."""

from accounts.models import Enrolment

from .access import visible_announcements, visible_plans

NEWEST = 5


def plans_section(request):
    user = request.user
    if not user.is_authenticated:
        return None
    is_staff = user.is_staff_member()
    plans = visible_plans(user).published()
    groups = set(Enrolment.objects.current().filter(pupil=user).values_list("group_id", flat=True))
    groups |= set(Enrolment.objects.current().filter(pupil__in=user.children()).values_list("group_id", flat=True))
    if not is_staff and not groups:
        return None
    own = []
    if groups:
        own = list(
            plans.filter(groups__in=groups).distinct().select_related("subject", "course").current_first()[:NEWEST]
        )
    return "planning/home_plans.html", {"is_staff": is_staff, "plans": own}


def announcements_section(request):
    user = request.user
    if not user.is_authenticated:
        return None
    items = list(visible_announcements(user).published().select_related("school")[:NEWEST])
    if not items:
        return None
    return "planning/home_announcements.html", {"announcements": items}

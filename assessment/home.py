"""Blocks on Min sida and on the staff pupil page that link into assessment."""

from accounts.models import PupilGroup, SchoolRole, StaffAssignment
from planning.models import Plan

from .access import taught_groups_of


def home_section(request):
    """Pupils: their knowledge overview. Guardians: each child's. Teachers: the published plans of their
    groups (grid, new learning log entry). Mentors and rektors: the pupils needing support."""
    user = request.user
    if not user.is_authenticated:
        return None
    is_pupil = user.enrolments.current().exists()
    children = list(user.children())
    assignments = StaffAssignment.objects.current().filter(staff=user)
    is_mentor = assignments.filter(role=StaffAssignment.Role.MENTOR).exists()
    is_rektor = SchoolRole.objects.current().filter(user=user, role=SchoolRole.Role.REKTOR).exists()
    grids = list(
        Plan.objects.filter(
            groups__in=PupilGroup.objects.filter(staff_assignments__in=assignments),
            state=Plan.State.PUBLISHED,
        )
        .select_related("rubric")
        .distinct()
        .order_by("-start_date")[:10]
    )
    if not (is_pupil or children or grids or is_mentor or is_rektor):
        return None
    return "assessment/home_section.html", {
        "is_pupil": is_pupil,
        "children": children,
        "grids": grids,
        "support": is_mentor or is_rektor,
    }


def pupil_section(request, pupil):
    return "assessment/pupil_section.html", {
        "pupil": pupil,
        "can_teach": bool(taught_groups_of(request.user, pupil)),
    }

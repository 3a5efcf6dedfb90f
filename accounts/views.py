from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import home_sections
from .access import can_see_roster, get_group_for_user, get_pupil_for_user, visible
from .forms import ProfileForm
from .models import Enrolment, Guardianship, PupilGroup, SchoolRole, StaffAssignment, User


def _current_pupils():
    return Prefetch(
        "enrolments",
        queryset=Enrolment.objects.current()
        .filter(pupil__is_active=True)
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name"),
        to_attr="current_enrolments",
    )


def home(request):
    """Min sida: what each of the person's roles needs first."""
    user = request.user
    taught_groups = (
        PupilGroup.objects.filter(staff_assignments__in=StaffAssignment.objects.current().filter(staff=user))
        .distinct()
        .select_related("school")
        .prefetch_related(_current_pupils())
    )
    led_roles = user.current_school_roles().filter(role__in=[SchoolRole.Role.REKTOR, SchoolRole.Role.ADMIN])
    led_groups = (
        visible(user, "accounts.view_roster", PupilGroup.objects.filter(school__in=[r.school_id for r in led_roles]))
        .select_related("school")
        .annotate(pupil_count=Count("enrolments", filter=Q(enrolments__in=Enrolment.objects.current())))
        .order_by("school__name", "name")
    )
    children = user.children().prefetch_related(
        Prefetch(
            "enrolments", queryset=Enrolment.objects.current().select_related("group__school"), to_attr="groups_now"
        )
    )
    return render(
        request,
        "accounts/home.html",
        {
            "taught_groups": taught_groups,
            "led_roles": led_roles,
            "led_groups": led_groups,
            "own_enrolments": user.current_enrolments(),
            "children": children,
            "sections": home_sections.render_context(request),
        },
    )


def group_detail(request, code):
    group = get_group_for_user(request, code)
    full_roster = can_see_roster(request.user, group)
    enrolments = Enrolment.objects.current().filter(group=group, pupil__is_active=True).select_related("pupil")
    if not full_roster:
        # Classmates see each other by name, but never a pupil with protected identity.
        enrolments = enrolments.filter(Q(pupil__protected_identity=False) | Q(pupil=request.user))
    staff = StaffAssignment.objects.current().filter(group=group, staff__is_active=True).select_related("staff")
    return render(
        request,
        "accounts/group_detail.html",
        {
            "group": group,
            "full_roster": full_roster,
            "enrolments": enrolments.order_by("pupil__last_name", "pupil__first_name"),
            "staff": staff.order_by("role", "staff__last_name"),
        },
    )


def pupil_detail(request, code):
    pupil = get_pupil_for_user(request, code)
    guardianships = Guardianship.objects.current().filter(pupil=pupil).select_related("guardian")
    return render(
        request,
        "accounts/pupil_detail.html",
        {
            "pupil": pupil,
            "enrolments": pupil.current_enrolments(),
            "guardianships": guardianships.order_by("-has_custody", "guardian__last_name"),
            "mentors": User.objects.filter(
                staff_assignments__in=StaffAssignment.objects.current().filter(
                    role=StaffAssignment.Role.MENTOR,
                    group__enrolments__in=Enrolment.objects.current().filter(pupil=pupil),
                )
            ).distinct(),
            "sections": home_sections.render_pupil_context(request, pupil),
        },
    )


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})

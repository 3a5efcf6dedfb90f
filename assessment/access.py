"""One access helper per protected type: fetch through what the user may see, or 404.

``..._for_editing`` variants raise 403 to someone who may see the record but not
change it. Seeing and changing are object permissions granted to audiences
(``assessment.permissions``); the grid and the knowledge overview use the same
audiences through ``accounts.audiences`` names, so nothing here is a filter of
its own making.
"""

from django.contrib.auth.models import Group as AuthGroup
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import audiences
from accounts.access import visible
from accounts.models import Enrolment, PupilGroup, User
from planning.access import get_plan_for_user

from .models import LearningLogEntry, RubricAssessment, SummativeAssessment
from .permissions import (
    CHANGE_ENTRY,
    CHANGE_RUBRIC,
    CHANGE_SUMMATIVE,
    VIEW_ENTRY,
    VIEW_REFLECTIONS,
    VIEW_RUBRIC,
    VIEW_SUMMATIVE,
)


def _one(queryset):
    obj = queryset.first()
    if obj is None:
        raise Http404
    return obj


def visible_entries(user, queryset=None):
    return visible(user, VIEW_ENTRY, LearningLogEntry.objects.all() if queryset is None else queryset)


def visible_rubric_assessments(user, queryset=None):
    return visible(user, VIEW_RUBRIC, RubricAssessment.objects.all() if queryset is None else queryset)


def visible_summatives(user, queryset=None):
    return visible(user, VIEW_SUMMATIVE, SummativeAssessment.objects.all() if queryset is None else queryset)


def can(user, perm, obj) -> bool:
    """Whether ``user`` holds ``perm`` on ``obj`` through an audience grant."""
    return visible(user, perm, type(obj).objects.filter(pk=obj.pk)).exists()


def in_audiences(user, names) -> set[str]:
    """Which of the audience ``names`` the user belongs to today."""
    if not user.is_authenticated:
        return set()
    return set(AuthGroup.objects.filter(user=user, name__in=list(names)).values_list("name", flat=True))


# Learning log ----------------------------------------------------------------


def get_entry_for_user(request, code) -> LearningLogEntry:
    return _one(
        visible_entries(request.user, LearningLogEntry.objects.filter(code=code)).select_related(
            "plan__subject", "pupil", "group", "created_by"
        )
    )


def get_entry_for_editing(request, code) -> LearningLogEntry:
    entry = get_entry_for_user(request, code)
    if not can(request.user, CHANGE_ENTRY, entry):
        raise PermissionDenied
    return entry


def reflections_for(user, entry):
    """Every reflection for the entry's staff; for pupils and guardians only their own and their children's."""
    reflections = entry.reflections.select_related("pupil")
    if can(user, VIEW_REFLECTIONS, entry):
        return reflections
    return reflections.filter(pupil__in=[user.pk, *user.children().values_list("pk", flat=True)])


def may_reflect(user, entry) -> bool:
    """The pupil the entry is to, or for a group entry, a pupil of the group; only once shared."""
    if not entry.is_shared:
        return False
    if entry.pupil_id:
        return entry.pupil_id == user.pk
    return Enrolment.objects.current().filter(pupil=user, group_id=entry.group_id).exists()


# The grid and rubric assessments ---------------------------------------------


def get_plan_for_grid(request, code):
    """A plan with a rubric, and the plan's groups whose pupils the user may list (teachers, leaders); else 404.

    Returns (plan, groups, taught_group_ids): the user may add marks for pupils of the taught groups.
    """
    plan = get_plan_for_user(request, code)
    if not hasattr(plan, "rubric"):
        raise Http404
    groups = list(visible(request.user, "accounts.view_roster", PupilGroup.objects.filter(plans=plan)).order_by("name"))
    if not groups:
        raise Http404
    taught = in_audiences(request.user, [audiences.group_teachers(group.pk) for group in groups])
    taught_ids = {group.pk for group in groups if audiences.group_teachers(group.pk) in taught}
    return plan, groups, taught_ids


def require_teaching(taught_group_ids):
    if not taught_group_ids:
        raise PermissionDenied


def get_rubric_assessment_for_user(request, code) -> RubricAssessment:
    return _one(
        visible_rubric_assessments(request.user, RubricAssessment.objects.filter(code=code)).select_related(
            "plan__rubric", "pupil"
        )
    )


def can_change_rubric_assessment(user, assessment) -> bool:
    return can(user, CHANGE_RUBRIC, assessment)


# Summative -------------------------------------------------------------------


def get_summative_for_user(request, code) -> SummativeAssessment:
    return _one(
        visible_summatives(request.user, SummativeAssessment.objects.filter(code=code)).select_related(
            "pupil", "subject", "step", "created_by", "updated_by", "school"
        )
    )


def get_summative_for_editing(request, code) -> SummativeAssessment:
    assessment = get_summative_for_user(request, code)
    if not can(request.user, CHANGE_SUMMATIVE, assessment):
        raise PermissionDenied
    return assessment


# Pupils ----------------------------------------------------------------------


def get_pupil_for_overview(request, code) -> tuple[User, bool]:
    """The pupil, for the pupil, their guardians with custody and the staff who meet them; else 404.

    Returns (pupil, is_staff_reader).
    """
    pupil = User.objects.filter(code=code).first()
    if pupil is None:
        raise Http404
    names = in_audiences(request.user, [audiences.pupil_circle(pupil.pk), audiences.pupil_staff(pupil.pk)])
    if not names:
        raise Http404
    return pupil, audiences.pupil_staff(pupil.pk) in names


def get_pupil_for_teaching(request, code) -> User:
    """A pupil of one of the user's current groups (teacher or mentor): 404 to who may not see the pupil,
    403 to staff who see but do not teach (rektor, administrator)."""
    pupil, is_staff = get_pupil_for_overview(request, code)
    if not is_staff:
        raise Http404
    if not taught_groups_of(request.user, pupil):
        raise PermissionDenied
    return pupil


def taught_groups_of(user, pupil) -> list[PupilGroup]:
    """The pupil's current groups that the user teaches."""
    groups = list(PupilGroup.objects.filter(enrolments__in=Enrolment.objects.current().filter(pupil=pupil)).distinct())
    taught = in_audiences(user, [audiences.group_teachers(group.pk) for group in groups])
    return [group for group in groups if audiences.group_teachers(group.pk) in taught]

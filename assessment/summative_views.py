"""Summative assessments, the knowledge overview (kunskapsöversikt) and the pupils needing support."""

from collections import defaultdict

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Enrolment, SchoolRole, StaffAssignment

from . import actions
from .access import (
    CHANGE_SUMMATIVE,
    can,
    get_pupil_for_overview,
    get_pupil_for_teaching,
    get_summative_for_editing,
    get_summative_for_user,
    taught_groups_of,
    visible_entries,
    visible_rubric_assessments,
    visible_summatives,
)
from .entry_views import CONFLICT_MESSAGE
from .forms import SummativeForm
from .models import (
    AssessmentScale,
    LearningLogEntry,
    RubricAssessment,
    RubricMark,
    State,
    SummativeAssessment,
    VersionConflict,
)
from .reads import log_read, log_reads


def summative_create(request, code):
    pupil = get_pupil_for_teaching(request, code)
    school = taught_groups_of(request.user, pupil)[0].school
    scale = AssessmentScale.for_organiser(school.organiser)
    form = SummativeForm(request.POST or None, scale=scale, pupil=pupil, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        assessment = actions.create_summative(request.user, pupil, school, form.cleaned_data)
        messages.success(request, _("The assessment was saved as a draft. Publish it when the pupil may read it."))
        return redirect("assessment:summative_detail", assessment.code)
    return render(request, "assessment/summative_form.html", {"form": form, "pupil": pupil})


def summative_detail(request, code):
    assessment = get_summative_for_user(request, code)
    log_read(request, assessment, assessment.pupil, assessment.created_by_id)
    return render(
        request,
        "assessment/summative_detail.html",
        {"assessment": assessment, "can_edit": can(request.user, CHANGE_SUMMATIVE, assessment)},
    )


def summative_edit(request, code):
    assessment = get_summative_for_editing(request, code)
    scale = AssessmentScale.for_organiser(assessment.school.organiser)
    form = SummativeForm(request.POST or None, instance=assessment, scale=scale, pupil=assessment.pupil)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_summative(
                assessment, request.user, version=form.cleaned_data["version"], data=form.cleaned_data
            )
        except VersionConflict as error:
            conflict = error.current
            messages.error(request, CONFLICT_MESSAGE)
            data = request.POST.copy()
            data["version"] = conflict.version
            form = SummativeForm(data, instance=conflict, scale=scale, pupil=assessment.pupil)
        else:
            messages.success(request, _("The assessment was saved."))
            return redirect("assessment:summative_detail", assessment.code)
    return render(
        request,
        "assessment/summative_form.html",
        {"form": form, "pupil": assessment.pupil, "assessment": assessment, "conflict": conflict},
    )


@require_POST
def summative_publish(request, code):
    assessment = get_summative_for_editing(request, code)
    actions.publish_summative(assessment, request.user)
    messages.success(request, _("The assessment is published to the pupil and their guardians."))
    return redirect("assessment:summative_detail", assessment.code)


def _published_or_own(queryset, published, author):
    """What is published, and the drafts ``author`` wrote (``None``: no drafts)."""
    if author is None:
        return queryset.filter(state=published)
    return queryset.filter(Q(state=published) | Q(created_by=author))


def overview(request, code):
    """Kunskapsöversikt: per subject the latest status, the terms before, and the rubric marks behind it.

    The same page for the pupil, their guardians and their teachers; each sees
    what is published or shared to them, and staff see their own drafts too.
    """
    user = request.user
    pupil, is_staff = get_pupil_for_overview(request, code)
    summatives = list(
        _published_or_own(
            visible_summatives(user, SummativeAssessment.objects.filter(pupil=pupil)),
            SummativeAssessment.State.PUBLISHED,
            user if is_staff else None,
        )
        .select_related("subject", "step", "created_by")
        .order_by("subject__name", "-year", "-term")
    )
    # Marks are the teachers' shared working material: staff see every rubric assessment of the pupil.
    rubric_assessments = visible_rubric_assessments(user, RubricAssessment.objects.filter(pupil=pupil))
    if not is_staff:
        rubric_assessments = rubric_assessments.filter(state=State.SHARED)
    rubric_assessments = list(rubric_assessments.select_related("plan__subject", "pupil").order_by("plan__start_date"))
    marks = defaultdict(lambda: defaultdict(list))
    for mark in (
        RubricMark.objects.filter(assessment__in=rubric_assessments)
        .select_related("row", "level")
        .order_by("row__position", "row_id", "date", "created_at", "id")
    ):
        marks[mark.assessment_id][mark.row].append(mark)
    groups_now = Enrolment.objects.current().filter(pupil=pupil).values("group_id")
    entries = list(
        _published_or_own(
            visible_entries(user, LearningLogEntry.objects.filter(Q(pupil=pupil) | Q(group__in=groups_now))),
            State.SHARED,
            user if is_staff else None,
        )
        .select_related("plan__subject")
        .order_by("-created_at")
    )
    subjects = {}
    for assessment in summatives:
        subjects.setdefault(assessment.subject, {"terms": [], "rubrics": []})["terms"].append(assessment)
    for assessment in rubric_assessments:
        subject = assessment.plan.subject
        progression = [(row, row_marks) for row, row_marks in marks[assessment.pk].items()]
        subjects.setdefault(subject, {"terms": [], "rubrics": []})["rubrics"].append((assessment, progression))
    log_reads(
        request,
        [(a, pupil, a.created_by_id) for a in summatives] + [(a, pupil, a.created_by_id) for a in rubric_assessments],
    )
    ordered = sorted(subjects.items(), key=lambda item: (item[0] is None, item[0].name if item[0] else ""))
    return render(
        request,
        "assessment/overview.html",
        {
            "pupil": pupil,
            "is_staff": is_staff,
            "subjects": ordered,
            "entries": entries,
            "can_teach": is_staff and bool(taught_groups_of(user, pupil)),
        },
    )


def support(request):
    """Pupils needing support: whose latest published status in a subject is not sufficient.

    For mentors (their mentor groups' pupils) and rektors (their schools' pupils);
    only what the user may see as staff who meet the pupil.
    """
    user = request.user
    mentor_groups = StaffAssignment.objects.current().filter(staff=user, role=StaffAssignment.Role.MENTOR)
    led_schools = SchoolRole.objects.current().filter(user=user, role=SchoolRole.Role.REKTOR)
    if not mentor_groups.exists() and not led_schools.exists():
        raise Http404
    pupils = Enrolment.objects.current().filter(
        Q(group__in=mentor_groups.values("group_id")) | Q(group__school__in=led_schools.values("school_id"))
    )
    assessments = (
        visible_summatives(
            user,
            SummativeAssessment.objects.published()
            .latest_per_subject()
            .filter(pupil__in=pupils.values("pupil_id"), step__sufficient=False),
        )
        .select_related("pupil", "subject", "step", "created_by")
        .order_by("pupil__last_name", "pupil__first_name", "subject__name")
    )
    return render(request, "assessment/support.html", {"assessments": assessments})

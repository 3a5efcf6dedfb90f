"""Rubric assessment: the teacher's grid (pupils × aspects) and each pupil's rubric history.

The grid is one plain form: every cell is a ``<select>`` named
``mark-<pupil code>-<row id>``, and posting it appends a mark wherever the
chosen level differs from the pupil's current one. ``static/js/assessment-grid.js``
adds keyboard movement and posts one cell at a time (answered with JSON), so
the page does not reload; without JavaScript the whole form posts and redirects.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import Enrolment
from planning.models import RubricLevel, RubricRow

from . import actions
from .access import can_change_rubric_assessment, get_plan_for_grid, get_rubric_assessment_for_user, require_teaching
from .forms import MarkForm
from .models import RubricMark
from .reads import log_read


def latest_levels(plan, pupil_ids) -> dict[tuple[int, int], int]:
    """(pupil id, row id) → the level id of the newest mark."""
    marks = RubricMark.objects.filter(assessment__plan=plan, assessment__pupil_id__in=pupil_ids)
    columns = ("assessment__pupil_id", "row_id", "level_id")
    if connection.features.can_distinct_on_fields:
        rows = marks.order_by("assessment__pupil_id", "row_id", "-created_at", "-id").distinct(
            "assessment__pupil_id", "row_id"
        )
        return {(pupil_id, row_id): level_id for pupil_id, row_id, level_id in rows.values_list(*columns)}
    latest = {}
    for pupil_id, row_id, level_id in marks.order_by("created_at", "id").values_list(*columns):
        latest[(pupil_id, row_id)] = level_id
    return latest


def _grid(plan, groups, taught_ids):
    rubric = plan.rubric
    rows = list(RubricRow.objects.filter(rubric=rubric))
    levels = list(RubricLevel.objects.filter(rubric=rubric))
    enrolments = (
        Enrolment.objects.current()
        .filter(group__in=groups, pupil__is_active=True)
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
    )
    pupils, editable = {}, set()
    for enrolment in enrolments:
        pupils.setdefault(enrolment.pupil_id, enrolment.pupil)
        if enrolment.group_id in taught_ids:
            editable.add(enrolment.pupil_id)
    latest = latest_levels(plan, list(pupils))
    return rows, levels, list(pupils.values()), editable, latest


def _changed_marks(request, rows, levels, pupils, editable, latest):
    rows_by_id = {str(row.pk): row for row in rows}
    levels_by_id = {str(level.pk): level for level in levels}
    pupils_by_code = {str(pupil.code): pupil for pupil in pupils}
    changed = []
    for name, value in request.POST.items():
        if not name.startswith("mark-") or not value:
            continue
        pupil_code, _sep, row_id = name[len("mark-") :].rpartition("-")
        pupil, row, level = pupils_by_code.get(pupil_code), rows_by_id.get(row_id), levels_by_id.get(value)
        if pupil is None or row is None or level is None:
            continue
        if pupil.pk not in editable:
            raise PermissionDenied
        if latest.get((pupil.pk, row.pk)) != level.pk:
            changed.append((name, pupil, row, level))
    return changed


def _options(levels, current):
    empty = format_html('<option value=""{}>–</option>', " selected" if current is None else "")
    return empty + format_html_join(
        "",
        '<option value="{}"{}>{}. {}</option>',
        (
            (level.pk, " selected" if level.pk == current else "", number, level.name)
            for number, level in enumerate(levels, 1)
        ),
    )


def grid(request, code):
    plan, groups, taught_ids = get_plan_for_grid(request, code)
    rows, levels, pupils, editable, latest = _grid(plan, groups, taught_ids)
    if request.method == "POST":
        require_teaching(taught_ids)
        changed = _changed_marks(request, rows, levels, pupils, editable, latest)
        actions.record_marks(request.user, plan, [(pupil, row, level, "", None) for _n, pupil, row, level in changed])
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"saved": {name: level.name for name, _p, _r, level in changed}})
        messages.success(
            request,
            ngettext("%(count)d mark was saved.", "%(count)d marks were saved.", len(changed))
            % {"count": len(changed)},
        )
        return redirect("assessment:grid", plan.code)
    # A grid of 30 × 15 cells has only len(levels) + 1 different option lists: build each once.
    options = {current: _options(levels, current) for current in [None, *(level.pk for level in levels)]}
    names = {level.pk: level.name for level in levels}
    table = [
        (
            pupil,
            pupil.pk in editable,
            [
                (row, f"mark-{pupil.code}-{row.pk}", options[current], names.get(current, ""))
                for row in rows
                for current in [latest.get((pupil.pk, row.pk))]
            ],
        )
        for pupil in pupils
    ]
    return render(
        request,
        "assessment/grid.html",
        {"plan": plan, "groups": groups, "rows": rows, "levels": levels, "table": table, "can_mark": bool(taught_ids)},
    )


@require_POST
def grid_share(request, code):
    plan, groups, taught_ids = get_plan_for_grid(request, code)
    require_teaching(taught_ids)
    _rows, _levels, pupils, editable, _latest = _grid(plan, groups, taught_ids)
    count = actions.share_rubric_assessments(request.user, plan, [pupil for pupil in pupils if pupil.pk in editable])
    messages.success(
        request,
        ngettext(
            "%(count)d rubric assessment is now shared with the pupil and guardians.",
            "%(count)d rubric assessments are now shared with the pupils and guardians.",
            count,
        )
        % {"count": count},
    )
    return redirect("assessment:grid", plan.code)


def rubric_detail(request, code):
    """One pupil's rubric assessment: every aspect with its marks over time."""
    assessment = get_rubric_assessment_for_user(request, code)
    rubric = assessment.plan.rubric
    can_mark = can_change_rubric_assessment(request.user, assessment)
    form = MarkForm(request.POST or None, rubric=rubric) if can_mark else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            actions.record_marks(
                request.user,
                assessment.plan,
                [(assessment.pupil, data["row"], data["level"], data["comment"], data["date"])],
            )
            messages.success(request, _("The mark was saved."))
            return redirect("assessment:rubric_detail", assessment.code)
    log_read(request, assessment, assessment.pupil, assessment.created_by_id)
    marks = assessment.marks.select_related("level", "created_by")
    history = {row.pk: [] for row in rubric.rows.all()}
    for mark in marks:
        history.setdefault(mark.row_id, []).append(mark)
    return render(
        request,
        "assessment/rubric_detail.html",
        {
            "assessment": assessment,
            "rows": [(row, history[row.pk]) for row in rubric.rows.all()],
            "form": form,
        },
    )

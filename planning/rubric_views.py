"""The rubric editor: one form for every text, buttons for the structure.

Every button posts the whole form, so moving a row never loses what was typed;
nothing needs JavaScript.
"""

import uuid

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from unikum.content.forms import CheckedTextarea, CheckedTextFormField

from . import actions
from .access import get_plan_for_editing, visible_plans
from .forms import single_line
from .models import Rubric, RubricCell, RubricRow


def _rows(rubric):
    return list(
        RubricRow.objects.filter(rubric=rubric).prefetch_related(
            Prefetch("cells", queryset=RubricCell.objects.select_related("level").order_by("level__position"))
        )
    )


class RubricForm(forms.Form):
    def __init__(self, *args, levels, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels, self.rows = levels, rows
        for level in levels:
            self.fields[f"level-{level.pk}"] = forms.CharField(
                label=_("Level"), max_length=40, initial=level.name, required=True
            )
        for row in rows:
            self.fields[f"row-{row.pk}"] = single_line(gettext_lazy("Aspect"), 300)
            self.fields[f"row-{row.pk}"].initial = row.title
            self.fields[f"row-{row.pk}"].required = False
            for cell in row.cells.all():
                field = CheckedTextFormField(
                    label=cell.level.name, required=False, widget=CheckedTextarea(attrs={"rows": 3})
                )
                field.initial = cell.descriptor
                self.fields[f"cell-{cell.pk}"] = field

    def grid(self):
        """Rows of (row, title field, [cell fields]) for the template."""
        return [
            (row, self[f"row-{row.pk}"], [self[f"cell-{cell.pk}"] for cell in row.cells.all()]) for row in self.rows
        ]

    def level_fields(self):
        return [self[f"level-{level.pk}"] for level in self.levels]

    @transaction.atomic
    def save(self):
        data = self.cleaned_data
        for level in self.levels:
            if level.name != data[f"level-{level.pk}"]:
                level.name = data[f"level-{level.pk}"]
                level.save(update_fields=["name"])
        for row in self.rows:
            if row.title != data[f"row-{row.pk}"]:
                row.title = data[f"row-{row.pk}"]
                row.save(update_fields=["title"])
            for cell in row.cells.all():
                if cell.descriptor != data[f"cell-{cell.pk}"]:
                    cell.descriptor = data[f"cell-{cell.pk}"]
                    cell.save(update_fields=["descriptor"])


def rubric_edit(request, code):
    plan = get_plan_for_editing(request, code)
    rubric = Rubric.objects.filter(plan=plan).first()
    if rubric is None:
        sources = visible_plans(request.user).filter(rubric__isnull=False).exclude(pk=plan.pk)
        return render(request, "planning/rubric_start.html", {"plan": plan, "sources": sources.order_by("title")})
    levels = list(rubric.levels.all())
    form = RubricForm(request.POST or None, levels=levels, rows=_rows(rubric))
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("The rubric was not saved. Correct the marked texts."))
        else:
            form.save()
            _structure_change(request, rubric)
            return redirect("planning:rubric_edit", plan.code)
    return render(request, "planning/rubric_edit.html", {"plan": plan, "rubric": rubric, "form": form})


def _structure_change(request, rubric):
    """The button that was pressed, after the texts were saved."""
    post = request.POST
    if "add_row" in post:
        actions.add_row(rubric)
    elif "add_level" in post:
        actions.add_level(rubric, "?")
    elif "up" in post or "down" in post:
        key = "up" if "up" in post else "down"
        actions.move_row(rubric, _int(post[key]), -1 if key == "up" else 1)
    elif "delete_row" in post:
        row = rubric.rows.filter(pk=_int(post["delete_row"])).first()
        if row:
            row.delete()
    elif "delete_level" in post and rubric.levels.count() > 1:
        level = rubric.levels.filter(pk=_int(post["delete_level"])).first()
        if level:
            level.delete()
    messages.success(request, _("The rubric was saved."))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_POST
def rubric_start(request, code):
    plan = get_plan_for_editing(request, code)
    how = request.POST.get("from")
    if how == "criteria":
        if not plan.criteria.exists():
            messages.error(request, _("Link criteria to the plan first, or start from scratch."))
            return redirect("planning:rubric_edit", plan.code)
        actions.rubric_from_criteria(plan)
    elif how == "copy":
        source = (
            visible_plans(request.user).filter(code=request.POST.get("source"), rubric__isnull=False).first()
            if _is_uuid(request.POST.get("source"))
            else None
        )
        if source is None:
            messages.error(request, _("Choose a plan to copy the rubric from."))
            return redirect("planning:rubric_edit", plan.code)
        actions.copy_rubric(source.rubric, plan)
    else:
        actions.start_rubric(plan)
    return redirect("planning:rubric_edit", plan.code)


@require_POST
def rubric_delete(request, code):
    plan = get_plan_for_editing(request, code)
    Rubric.objects.filter(plan=plan).delete()
    messages.success(request, _("The rubric was removed."))
    return redirect("planning:plan_detail", plan.code)


def _is_uuid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True

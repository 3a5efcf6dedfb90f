from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Enrolment

from . import actions
from .access import get_plan_for_editing, get_plan_for_user, visible_plans
from .forms import CopyPlanForm, CurriculumLinksForm, PlanFilterForm, PlanForm, staff_schools
from .models import GradingCriterion, Plan, Rubric, RubricCell, RubricRow


def _list_queryset(plans):
    return plans.select_related("subject", "course", "school").prefetch_related("groups")


def plan_list(request):
    """Teachers: the plans they write, with filters. Pupils and guardians: the published plans of their groups."""
    user = request.user
    context = {}
    if user.is_staff_member():
        form = PlanFilterForm(request.GET or None, user=user)
        context["filter_form"] = form
        context["my_plans"] = _list_queryset(form.filter(Plan.objects.authored_by(user)))
    seen = _list_queryset(visible_plans(user).published())
    enrolments = user.current_enrolments()
    if enrolments:
        context["own_plans"] = seen.filter(groups__in=[e.group_id for e in enrolments]).distinct().current_first()
    children = user.children().prefetch_related(
        Prefetch("enrolments", queryset=Enrolment.objects.current(), to_attr="groups_now")
    )
    context["children"] = [
        (child, seen.filter(groups__in=[e.group_id for e in child.groups_now]).distinct().current_first())
        for child in children
    ]
    return render(request, "planning/plan_list.html", context)


def template_list(request):
    """Plans colleagues at the school share as templates."""
    schools = staff_schools(request.user)
    templates = _list_queryset(visible_plans(request.user).filter(is_template=True, school__in=schools))
    return render(request, "planning/template_list.html", {"templates": templates.select_related("created_by")})


def plan_create(request):
    if not request.user.is_staff_member():
        raise PermissionDenied
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        plan = actions.save_plan(form, request.user)
        messages.success(request, _("The plan was saved as a draft."))
        return redirect("planning:plan_links", plan.code)
    return render(request, "planning/plan_form.html", {"form": form})


def plan_detail(request, code):
    plan = get_plan_for_user(request, code)
    rubric = Rubric.objects.filter(plan=plan).first()
    rows, levels = [], []
    if rubric:
        levels = list(rubric.levels.all())
        rows = list(
            RubricRow.objects.filter(rubric=rubric).prefetch_related(
                Prefetch("cells", queryset=RubricCell.objects.order_by("level__position"))
            )
        )
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "can_edit": plan.is_author(request.user),
            "central_content": plan.central_content.all(),
            "criteria": plan.criteria.all(),
            "goals": plan.goals.all(),
            "rubric": rubric,
            "levels": levels,
            "rows": rows,
            "attachments": plan.attachments.all(),
            "states": Plan.State,
        },
    )


def plan_edit(request, code):
    plan = get_plan_for_editing(request, code)
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.save_plan(form, request.user)
        messages.success(request, _("The plan was saved."))
        return redirect("planning:plan_detail", plan.code)
    return render(request, "planning/plan_form.html", {"form": form, "plan": plan})


def plan_links(request, code):
    plan = get_plan_for_editing(request, code)
    form = CurriculumLinksForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The links to the curriculum were saved."))
        return redirect("planning:plan_detail", plan.code)
    return render(
        request,
        "planning/plan_links.html",
        {"form": form, "plan": plan, "levels": GradingCriterion.Level},
    )


STATE_ACTIONS = {
    "publish": (Plan.State.PUBLISHED, gettext_lazy("The plan was published to its groups.")),
    "unpublish": (
        Plan.State.DRAFT,
        gettext_lazy("The plan is a draft again; pupils and guardians no longer see it."),
    ),
    "archive": (Plan.State.ARCHIVED, gettext_lazy("The plan was archived.")),
}


@require_POST
def plan_state(request, code):
    plan = get_plan_for_editing(request, code)
    action = STATE_ACTIONS.get(request.POST.get("action"))
    if action is None:
        messages.error(request, _("Unknown action."))
    else:
        state, message = action
        actions.set_state(plan, state, request.user)
        messages.success(request, message)
    return redirect("planning:plan_detail", plan.code)


def plan_copy(request, code):
    plan = get_plan_for_user(request, code)
    if not request.user.is_staff_member():
        raise PermissionDenied
    start, end = actions.next_year_dates(plan)
    initial = {"title": plan.title, "start_date": start, "end_date": end}
    form = CopyPlanForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        copy = actions.copy_plan(plan, request.user, **form.cleaned_data)
        messages.success(request, _("The copy was saved as a draft."))
        return redirect("planning:plan_edit", copy.code)
    return render(request, "planning/plan_copy.html", {"form": form, "plan": plan})

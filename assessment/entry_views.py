"""Learning log (lärlogg): the teacher's feedback, evidence and the pupils' reflections."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import audiences
from accounts.models import Enrolment, PupilGroup
from planning.access import get_plan_for_user

from . import actions
from .access import (
    CHANGE_ENTRY,
    can,
    get_entry_for_editing,
    get_entry_for_user,
    in_audiences,
    may_reflect,
    reflections_for,
)
from .forms import EntryForm, ReflectionForm
from .models import VersionConflict
from .reads import log_read

CONFLICT_MESSAGE = gettext_lazy(
    "Someone else saved this while you were editing, so your changes were not saved. Their version is shown "
    "below; your text is still in the form. Save again to replace their version with yours."
)


def _targets(user, plan):
    """(value, label) choices: the plan's groups the user teaches, then their pupils."""
    groups = list(PupilGroup.objects.filter(plans=plan).order_by("name"))
    taught = in_audiences(user, [audiences.group_teachers(group.pk) for group in groups])
    groups = [group for group in groups if audiences.group_teachers(group.pk) in taught]
    enrolments = (
        Enrolment.objects.current()
        .filter(group__in=groups, pupil__is_active=True)
        .select_related("pupil", "group")
        .order_by("group__name", "pupil__last_name", "pupil__first_name")
    )
    choices = [(f"group:{group.code}", _("The whole group %(group)s") % {"group": group.name}) for group in groups]
    choices += [(f"pupil:{e.pupil.code}", f"{e.pupil.display_name} ({e.group.name})") for e in enrolments]
    return choices, {str(g.code): g for g in groups}, {str(e.pupil.code): e.pupil for e in enrolments}


def entry_create(request, code):
    plan = get_plan_for_user(request, code)
    choices, groups, pupils = _targets(request.user, plan)
    if not choices:
        raise PermissionDenied
    form = EntryForm(request.POST or None, request.FILES or None, targets=choices, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        kind, target = form.cleaned_data["target"].split(":", 1)
        entry = actions.create_entry(
            request.user,
            plan,
            pupil=pupils.get(target) if kind == "pupil" else None,
            group=groups.get(target) if kind == "group" else None,
            data=form.cleaned_data,
            evidence=form.cleaned_data.get("evidence_upload"),
        )
        messages.success(request, _("The entry was saved as a draft. Share it when the pupils may read it."))
        return redirect("assessment:entry_detail", entry.code)
    return render(request, "assessment/entry_form.html", {"form": form, "plan": plan})


def entry_detail(request, code):
    entry = get_entry_for_user(request, code)
    log_read(request, entry, entry.pupil, entry.created_by_id)
    can_reflect = may_reflect(request.user, entry)
    own = entry.reflections.filter(pupil=request.user).first() if can_reflect else None
    return render(
        request,
        "assessment/entry_detail.html",
        {
            "entry": entry,
            "can_edit": can(request.user, CHANGE_ENTRY, entry),
            "reflections": reflections_for(request.user, entry),
            "reflection_form": ReflectionForm(instance=own) if can_reflect else None,
        },
    )


def entry_edit(request, code):
    entry = get_entry_for_editing(request, code)
    form = EntryForm(request.POST or None, request.FILES or None, instance=entry)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_entry(
                entry,
                request.user,
                version=form.cleaned_data["version"],
                data=form.cleaned_data,
                evidence=form.cleaned_data.get("evidence_upload"),
            )
        except VersionConflict as error:
            conflict = error.current
            messages.error(request, CONFLICT_MESSAGE)
            # Keep what this teacher wrote, on top of the version now stored.
            data = request.POST.copy()
            data["version"] = conflict.version
            form = EntryForm(data, instance=conflict)
        else:
            messages.success(request, _("The entry was saved."))
            return redirect("assessment:entry_detail", entry.code)
    return render(
        request, "assessment/entry_form.html", {"form": form, "plan": entry.plan, "entry": entry, "conflict": conflict}
    )


@require_POST
def entry_share(request, code):
    entry = get_entry_for_editing(request, code)
    actions.share_entry(entry, request.user)
    messages.success(request, _("The entry is shared with the pupils and their guardians."))
    return redirect("assessment:entry_detail", entry.code)


@require_POST
def entry_reflect(request, code):
    entry = get_entry_for_user(request, code)
    if not may_reflect(request.user, entry):
        raise PermissionDenied
    own = entry.reflections.filter(pupil=request.user).first()
    form = ReflectionForm(request.POST, instance=own)
    if form.is_valid():
        actions.save_reflection(entry, request.user, form.cleaned_data["text"])
        messages.success(request, _("Your reflection was saved."))
        return redirect("assessment:entry_detail", entry.code)
    return render(
        request,
        "assessment/entry_detail.html",
        {
            "entry": entry,
            "can_edit": False,
            "reflections": reflections_for(request.user, entry),
            "reflection_form": form,
        },
    )


def entry_evidence(request, code):
    entry = get_entry_for_user(request, code)
    if not entry.evidence:
        raise Http404
    try:
        handle = entry.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log_read(request, entry, entry.pupil, entry.created_by_id)
    response = FileResponse(
        handle, as_attachment=True, filename=entry.evidence_name, content_type=entry.evidence_content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import actions
from .access import get_announcement_for_user, visible_announcements
from .forms import AnnouncementForm


def announcement_list(request):
    user = request.user
    items = visible_announcements(user).select_related("school").prefetch_related("groups")
    if not user.is_staff_member():
        items = items.published()
    return render(request, "planning/announcement_list.html", {"announcements": items})


def announcement_create(request):
    if not request.user.is_staff_member():
        raise PermissionDenied
    form = AnnouncementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        item = actions.save_announcement(form, request.user)
        messages.success(request, _("The information was saved."))
        return redirect("planning:announcement_detail", item.code)
    return render(request, "planning/announcement_form.html", {"form": form})


def announcement_detail(request, code):
    item = get_announcement_for_user(request, code)
    return render(request, "planning/announcement_detail.html", {"announcement": item})

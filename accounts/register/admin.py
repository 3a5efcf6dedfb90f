"""Import runs in the admin (read-only), the CSV upload with a dry run before
applying, and activation e-mails for a school's guardians or staff."""

import re
import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import procapita
from .activation import recipients, send_activation_emails
from .forms import ActivationForm, UploadForm
from .models import ImportRun
from .runs import run_import

STAGING_HOURS = 24
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def staging_root() -> Path:
    # Private media: never served as static files.
    return Path(settings.MEDIA_ROOT) / "register-uploads"


def _staging_dir(request, token) -> Path:
    if not TOKEN.match(token or ""):
        raise Http404
    return staging_root() / f"{request.user.pk}-{token}"


def _clean_old_uploads():
    cutoff = time.time() - STAGING_HOURS * 3600
    if staging_root().is_dir():
        for folder in staging_root().iterdir():
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "source", "status", "started_by_display", "incremental", "summary"]
    list_filter = ["status", "source", "dry_run"]
    date_hierarchy = "started_at"
    change_list_template = "register/admin/importrun_change_list.html"
    fields = [
        "started_at",
        "finished_at",
        "source",
        "source_detail",
        "incremental",
        "dry_run",
        "started_by",
        "schedule",
        "status",
        "error",
        "count_table",
        "warning_list",
        "watermark",
    ]
    readonly_fields = fields

    # A record of what happened: nobody edits it, superusers included.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("changes"))
    def summary(self, run):
        return ", ".join(f"{key} {value}" for key, value in run.counts.items() if value and key != "warnings") or "–"

    @admin.display(description=_("counts"))
    def count_table(self, run):
        return format_html_join("", "<div>{}: {}</div>", sorted(run.counts.items())) or "–"

    @admin.display(description=_("warnings"))
    def warning_list(self, run):
        return format_html_join("", "<div>{}</div>", ((line,) for line in run.warnings)) or "–"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="register_importrun_upload"),
            path("activation/", view(self.activation_view), name="register_importrun_activation"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}

    def upload_view(self, request):
        """Upload the CSV files, see the dry run, then apply exactly those files."""
        if not request.user.has_perm("register.run_import"):
            raise PermissionDenied
        form = UploadForm()
        if request.method == "POST" and request.POST.get("apply"):
            return self._apply_upload(request)
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                _clean_old_uploads()
                token = uuid.uuid4().hex
                folder = _staging_dir(request, token)
                folder.mkdir(parents=True)
                files = []
                for upload in form.cleaned_data["files"]:
                    name = Path(upload.name).name
                    files.append((name, upload.read()))
                    (folder / name).write_bytes(files[-1][1])
                organiser = form.cleaned_data["organiser"]
                (folder / ".organiser").write_text(organiser, encoding="utf-8")
                run = run_import(
                    lambda: procapita.read_files(files, organiser=organiser),
                    source=ImportRun.Source.PROCAPITA,
                    source_detail=", ".join(name for name, _ in files),
                    actor=request.user,
                    dry_run=True,
                )
                if run.status == ImportRun.Status.FAILED:
                    shutil.rmtree(folder, ignore_errors=True)
                context = self._context(request, _("Check the import"), run=run, token=token, form=form)
                context["changes"] = run.result.changes[:500]
                return TemplateResponse(request, "register/admin/upload_preview.html", context)
        return TemplateResponse(request, "register/admin/upload.html", self._context(request, _("Upload"), form=form))

    def _apply_upload(self, request):
        folder = _staging_dir(request, request.POST.get("token"))
        if not folder.is_dir():
            messages.error(request, _("The uploaded files are gone; upload them again."))
            return redirect("admin:register_importrun_upload")
        organiser = (folder / ".organiser").read_text(encoding="utf-8")
        files = [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if not p.name.startswith(".")]
        run = run_import(
            lambda: procapita.read_files(files, organiser=organiser),
            source=ImportRun.Source.PROCAPITA,
            source_detail=", ".join(name for name, _ in files),
            actor=request.user,
        )
        shutil.rmtree(folder, ignore_errors=True)
        if run.status == ImportRun.Status.SUCCEEDED:
            messages.success(request, _("The import is done."))
        else:
            messages.error(request, _("The import failed and changed nothing: %s") % run.error)
        return redirect(reverse("admin:register_importrun_change", args=[run.pk]))

    def activation_view(self, request):
        """Send set-password links to a school's guardians or staff in one go."""
        if not request.user.has_perm("register.send_activation"):
            raise PermissionDenied
        form = ActivationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            people = recipients(form.cleaned_data["school"], form.cleaned_data["audience"])
            sent, missing = send_activation_emails(request, people)
            messages.success(
                request, ngettext("Sent %d activation e-mail.", "Sent %d activation e-mails.", sent) % sent
            )
            if missing:
                messages.warning(
                    request,
                    ngettext("%d person has no e-mail address.", "%d people have no e-mail address.", missing)
                    % missing,
                )
            return redirect("admin:register_importrun_activation")
        context = self._context(request, _("Send activation e-mails"), form=form)
        return TemplateResponse(request, "register/admin/activation.html", context)

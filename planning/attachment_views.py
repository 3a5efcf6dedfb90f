from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import get_attachment_for_user, get_plan_for_editing
from .forms import AttachmentForm
from .models import Attachment


@require_POST
def attachment_upload(request, code):
    plan = get_plan_for_editing(request, code)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []) or [_("Choose a file to attach.")]:
            messages.error(request, error)
        return redirect("planning:plan_detail", plan.code)
    upload = form.cleaned_data["file"]
    with transaction.atomic():
        attachment = Attachment(
            plan=plan,
            name=upload.name[-200:],
            content_type=upload.checked_content_type,
            size=upload.size,
            uploaded_by=request.user,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    messages.success(request, _("The file was attached."))
    return redirect("planning:plan_detail", plan.code)


def attachment_download(request, code, attachment_code):
    attachment = get_attachment_for_user(request, code, attachment_code)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def attachment_delete(request, code, attachment_code):
    plan = get_plan_for_editing(request, code)
    attachment = Attachment.objects.filter(plan=plan, code=attachment_code).first()
    if attachment is None:
        raise Http404
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.delete(save=False))
    messages.success(request, _("The attachment was removed."))
    return redirect("planning:plan_detail", plan.code)

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

from .checker import check

MAX_TEXT = 200_000


@require_POST
@login_required
def check_text(request):
    """Live feedback while typing: the findings for ``text`` as JSON (same shape as ``checktext --jsonl``)."""
    if request.content_type == "application/json":
        try:
            text = json.loads(request.body or b"{}").get("text", "")
        except (ValueError, AttributeError):
            return HttpResponseBadRequest("Invalid JSON.")
    else:
        text = request.POST.get("text", "")
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return HttpResponseBadRequest("text must be a string of at most 200 000 characters.")
    findings = [finding.as_dict() for finding in check(text)]
    return JsonResponse({"ok": not findings, "findings": findings})

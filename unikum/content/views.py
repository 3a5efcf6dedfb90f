import json
from contextlib import suppress

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

from .checker import SYSTEM_KEYS, WRITERS, check

MAX_TEXT = 200_000


@require_POST
@login_required
def check_text(request):
    """Live feedback while typing: the findings for ``text`` as JSON (same shape as ``checktext --jsonl``)."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
            text = data.get("text", "")
        except (ValueError, AttributeError):
            return HttpResponseBadRequest("Invalid JSON.")
    else:
        data = request.POST
        text = data.get("text", "")
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return HttpResponseBadRequest("text must be a string of at most 200 000 characters.")
    # Only the wording of the messages: whom they speak to and what the systems are called.
    writer = data.get("writer") if data.get("writer") in WRITERS else None
    systems = data.get("systems")
    if isinstance(systems, str):
        with suppress(ValueError):
            systems = json.loads(systems)
    if not isinstance(systems, dict):
        systems = None
    else:
        systems = {key: value for key, value in systems.items() if key in SYSTEM_KEYS and isinstance(value, str)}
    findings = [finding.as_dict() for finding in check(text, writer=writer, systems=systems)]
    return JsonResponse({"ok": not findings, "findings": findings})

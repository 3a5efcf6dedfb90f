"""Form field and widget for checked text: the findings appear under the textarea.

The widget renders the textarea (the teacher's text stays in it), an
``aria-live`` region that ``static/js/content-check.js`` fills while typing, and
after a failed submit the list of findings with the offending words in
``<mark>``.
"""

import json
from contextlib import suppress

from django import forms
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .checker import check, plain_text
from .fields import findings_error
from .sanitise import sanitise_html


class CheckedTextarea(forms.Textarea):
    template_name = "content/widgets/checked_textarea.html"

    class Media:
        js = ["js/content-check.js"]
        css = {"all": ["css/content-check.css"]}

    def __init__(self, attrs=None, is_html=False):
        super().__init__(attrs)
        self.is_html = is_html
        self.findings = []
        self.checked_text = ""
        self.writer = None
        self.systems = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        # Endpoint not mounted: the page still works, without live feedback.
        with suppress(NoReverseMatch):
            widget_attrs["data-content-check-url"] = reverse("content:check")
        region_id = f"{widget_attrs.get('id') or name}-content-check"
        widget_attrs["data-content-check-region"] = region_id
        widget_attrs["aria-describedby"] = " ".join(filter(None, [widget_attrs.get("aria-describedby"), region_id]))
        # The live check words its messages for the same writer and systems as the submit does.
        if self.writer:
            widget_attrs["data-content-check-writer"] = self.writer
        if self.systems:
            widget_attrs["data-content-check-systems"] = json.dumps({k: v for k, v in self.systems.items() if v})
        context["widget"]["region_id"] = region_id
        context["widget"]["findings"] = highlighted(self.checked_text, self.findings)
        return context


def highlighted(text: str, findings) -> list[dict]:
    """For each finding: its message and a snippet of the text split around the match."""
    items = []
    for finding in findings:
        start, end = finding.start, finding.end
        lo = max(0, start - 60)
        hi = min(len(text), end + 60)
        items.append(
            {
                "category": finding.category,
                "message": finding.message,
                "before": ("…" if lo else "") + text[lo:start],
                "match": text[start:end],
                "after": text[end:hi] + ("…" if hi < len(text) else ""),
            }
        )
    return items


class CheckedTextFormField(forms.CharField):
    widget = CheckedTextarea

    def __init__(self, *args, is_html=False, writer=None, systems=None, **kwargs):
        self.is_html = is_html
        super().__init__(*args, **kwargs)
        self.configure(writer=writer, systems=systems)
        if isinstance(self.widget, CheckedTextarea):
            self.widget.is_html = is_html

    def configure(self, *, writer=None, systems=None):
        """Whom the messages speak to ("staff", "pupil", "guardian") and the organiser's system names."""
        self.writer, self.systems = writer, systems
        if isinstance(self.widget, CheckedTextarea):
            self.widget.writer, self.widget.systems = writer, systems

    def to_python(self, value):
        value = super().to_python(value)
        return sanitise_html(value) if self.is_html and value else value

    def validate(self, value):
        super().validate(value)
        if isinstance(self.widget, CheckedTextarea):
            self.widget.findings, self.widget.checked_text = [], ""
        if not value:
            return
        findings = check(value, is_html=None if self.is_html else False, writer=self.writer, systems=self.systems)
        if findings:
            if isinstance(self.widget, CheckedTextarea):
                self.widget.findings = findings
                self.widget.checked_text = plain_text(value, None if self.is_html else False)
                # The widget shows each finding with its words marked; the error says so once.
                error = ValidationError(_("Change the marked words before saving."), code="content")
                error.findings = list(findings)
                raise error
            raise findings_error(findings)


def configure_checked_fields(form, *, writer=None, systems=None):
    """Set the writer and the organiser's system names on every checked field of ``form``."""
    for field in form.fields.values():
        if isinstance(field, CheckedTextFormField):
            field.configure(writer=writer, systems=systems)
    return form

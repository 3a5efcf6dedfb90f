"""Form field and widget for checked text: the findings appear under the textarea.

The widget renders the textarea (the teacher's text stays in it), an
``aria-live`` region that ``static/js/content-check.js`` fills while typing, and
after a failed submit the list of findings with the offending words in
``<mark>``.
"""

from contextlib import suppress

from django import forms
from django.urls import NoReverseMatch, reverse

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

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        # Endpoint not mounted: the page still works, without live feedback.
        with suppress(NoReverseMatch):
            widget_attrs["data-content-check-url"] = reverse("content:check")
        region_id = f"{widget_attrs.get('id') or name}-content-check"
        widget_attrs["data-content-check-region"] = region_id
        widget_attrs["aria-describedby"] = " ".join(filter(None, [widget_attrs.get("aria-describedby"), region_id]))
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

    def __init__(self, *args, is_html=False, **kwargs):
        self.is_html = is_html
        super().__init__(*args, **kwargs)
        if isinstance(self.widget, CheckedTextarea):
            self.widget.is_html = is_html

    def to_python(self, value):
        value = super().to_python(value)
        return sanitise_html(value) if self.is_html and value else value

    def validate(self, value):
        super().validate(value)
        if isinstance(self.widget, CheckedTextarea):
            self.widget.findings, self.widget.checked_text = [], ""
        if not value:
            return
        findings = check(value, is_html=None if self.is_html else False)
        if findings:
            if isinstance(self.widget, CheckedTextarea):
                self.widget.findings = findings
                self.widget.checked_text = plain_text(value, None if self.is_html else False)
            raise findings_error(findings)

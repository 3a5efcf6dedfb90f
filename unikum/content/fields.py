"""Model fields that cannot store a text the content checker blocks.

``CheckedTextField`` holds plain text, ``CheckedHTMLField`` rich text: it is
sanitised (``sanitise_html``) and then checked on its plain text. Both check

* in ``validate()``, so ``full_clean()``, model forms and the admin show the
  findings as a ``ValidationError`` on the field, and
* in ``pre_save()``, so ``save()`` and ``bulk_create()`` from anywhere (shell,
  management commands, imports) raise ``ValidationError`` and store nothing.

``QuerySet.update()`` and raw SQL bypass ``pre_save``: never use them to write
these fields (re-check with ``manage.py scan_content`` if something did).

The ``ValidationError`` carries the findings: ``error.findings`` (a list of
``Finding``) and, per message, ``params["finding"]`` as a dict, so templates and
the widget can highlight the offending words.
"""

from django.core.exceptions import ValidationError
from django.db import models

from .checker import check
from .sanitise import sanitise_html

_CHECKED = "_content_checked_values"


def findings_error(findings) -> ValidationError:
    """A ValidationError with one message per finding, carrying the findings."""
    errors = [
        ValidationError(
            "%(match_quoted)s: %(message)s",
            code=finding.category,
            params={"match_quoted": f"”{finding.match}”", "message": finding.message, "finding": finding.as_dict()},
        )
        for finding in findings
    ]
    error = ValidationError(errors)
    error.findings = list(findings)
    return error


class CheckedTextField(models.TextField):
    """Plain free text, checked before it is stored."""

    is_html = False
    description = "Text checked by the content checker"

    def prepare_text(self, value):
        return value

    def run_checker(self, value):
        if not value:
            return
        findings = check(value, is_html=None if self.is_html else False)
        if findings:
            raise findings_error(findings)

    def validate(self, value, model_instance):
        value = self.prepare_text(value)
        super().validate(value, model_instance)
        self.run_checker(value)
        if model_instance is not None:
            model_instance.__dict__.setdefault(_CHECKED, {})[self.attname] = value

    def pre_save(self, model_instance, add):
        value = self.prepare_text(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        # full_clean() just checked this exact value: don't check it twice.
        if model_instance.__dict__.get(_CHECKED, {}).get(self.attname, object()) != value:
            try:
                self.run_checker(value)
            except ValidationError as error:
                wrapped = ValidationError({self.name: error.error_list})
                wrapped.findings = error.findings
                raise wrapped from None
        return value

    def formfield(self, **kwargs):
        from .forms import CheckedTextarea, CheckedTextFormField

        widget = kwargs.get("widget")
        if widget is None or not (
            isinstance(widget, CheckedTextarea) or (isinstance(widget, type) and issubclass(widget, CheckedTextarea))
        ):
            # The admin passes its own Textarea; keep its CSS class but use our widget.
            attrs = {"class": "vLargeTextField"} if widget is not None else None
            kwargs["widget"] = CheckedTextarea(attrs=attrs, is_html=self.is_html)
        return super().formfield(**{"form_class": CheckedTextFormField, "is_html": self.is_html, **kwargs})


def check_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """``pre_save`` receiver: check before ``save()`` opens its transaction.

    ``Field.pre_save`` runs inside ``save_base``'s atomic block, where an
    exception would also mark the caller's transaction for rollback. Checking
    here first lets a caller catch the ValidationError and carry on; the field's
    own ``pre_save`` remains the backstop (``bulk_create``).
    """
    errors, findings = {}, []
    for field in _checked_fields(sender):
        if update_fields is not None and field.name not in update_fields:
            continue
        value = field.prepare_text(getattr(instance, field.attname))
        setattr(instance, field.attname, value)
        if instance.__dict__.get(_CHECKED, {}).get(field.attname, object()) == value:
            continue
        try:
            field.run_checker(value)
        except ValidationError as error:
            errors[field.name] = error.error_list
            findings += error.findings
        else:
            instance.__dict__.setdefault(_CHECKED, {})[field.attname] = value
    if errors:
        error = ValidationError(errors)
        error.findings = findings
        raise error


_fields_by_model: dict = {}


def _checked_fields(model):
    fields = _fields_by_model.get(model)
    if fields is None:
        fields = _fields_by_model[model] = [
            field for field in model._meta.concrete_fields if isinstance(field, CheckedTextField)
        ]
    return fields


class CheckedHTMLField(CheckedTextField):
    """Rich text: sanitised to the allowlist, then checked on its plain text."""

    is_html = True
    description = "Sanitised HTML checked by the content checker"

    def prepare_text(self, value):
        return sanitise_html(value) if value else value

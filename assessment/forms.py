from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planning import uploads
from planning.models import Subject
from unikum.content.forms import CheckedTextarea, CheckedTextFormField

from .models import LearningLogEntry, Reflection, ScaleStep, SummativeAssessment, Term


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class EvidenceField(forms.FileField):
    """An optional file, accepted by its content (planning's sniffing rules)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "read"):
            upload.checked_content_type = uploads.check(upload)
        return upload


class EntryForm(forms.ModelForm):
    target = forms.ChoiceField(label=_("To"))
    title = CheckedTextFormField(label=_("Title"), max_length=200, widget=forms.TextInput)
    evidence_upload = EvidenceField(
        label=_("Evidence"), required=False, help_text=_("Optional: a PDF, an image or an Office document.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LearningLogEntry
        fields = ["title", "current", "goal", "next_step"]

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if targets is None:
            del self.fields["target"]
        else:
            self.fields["target"].choices = targets
        self.fields["version"].initial = self.instance.version
        for name in ("current", "goal"):
            self.fields[name].widget.attrs.update(rows=4)
        self.fields["next_step"].widget.attrs.update(rows=2)


class ReflectionForm(forms.ModelForm):
    class Meta:
        model = Reflection
        fields = ["text"]


class SummativeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SummativeAssessment
        fields = ["subject", "year", "term", "step", "comment"]

    def __init__(self, *args, scale, pupil, **kwargs):
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        self.fields["step"].queryset = ScaleStep.objects.filter(scale=scale)
        self.fields["step"].empty_label = None
        self.fields["step"].widget = forms.RadioSelect(choices=self.fields["step"].choices)
        self.fields["subject"].queryset = Subject.objects.order_by("school_form", "name")
        self.fields["version"].initial = self.instance.version
        self.fields["comment"].widget.attrs.update(rows=5)
        if not self.instance.pk:
            today = timezone.localdate()
            self.initial.setdefault("year", today.year)
            self.initial.setdefault("term", Term.SPRING if today.month <= 6 else Term.AUTUMN)

    def clean(self):
        data = super().clean()
        # The pupil is not a form field, so the model form cannot check this uniqueness itself.
        same_term = SummativeAssessment.objects.filter(
            pupil=self.pupil, subject=data.get("subject"), year=data.get("year"), term=data.get("term")
        ).exclude(pk=self.instance.pk)
        if same_term.exists():
            raise ValidationError(_("The pupil already has an assessment in this subject for this term."))
        return data


class MarkForm(forms.Form):
    """One mark with a comment, on the pupil's rubric page."""

    row = forms.ModelChoiceField(label=_("Aspect"), queryset=None, empty_label=None)
    level = forms.ModelChoiceField(label=_("Level"), queryset=None, empty_label=None)
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    comment = CheckedTextFormField(label=_("Comment"), required=False, widget=CheckedTextarea(attrs={"rows": 2}))

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["row"].queryset = rubric.rows.all()
        self.fields["level"].queryset = rubric.levels.all()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("The date is in the future."))
        return date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import School

from .activation import AUDIENCES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item] or super().clean(
            None, initial
        )


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("CSV files"), help_text=_("The four exports: pupils, guardians, groups and staff.")
    )
    organiser = forms.CharField(
        label=_("Organiser"),
        required=False,
        help_text=_("Huvudman for schools the files introduce. Empty: the only one there is."),
    )


class ActivationForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.all())
    audience = forms.ChoiceField(label=_("Send to"), choices=AUDIENCES, widget=forms.RadioSelect)

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm):
    """The part of the profile a person fills in themselves; the rest comes from the register."""

    class Meta:
        model = User
        fields = ["preferred_name", "phone"]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        allowed = set("0123456789+- ()")
        if phone and (set(phone) - allowed or sum(c.isdigit() for c in phone) < 6):
            raise forms.ValidationError(
                _("Enter a phone number with digits, for example 070-123 45 67."), code="invalid"
            )
        return phone

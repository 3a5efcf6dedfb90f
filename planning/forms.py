from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import PupilGroup, School, SchoolRole, StaffAssignment, User
from unikum.content.forms import CheckedTextFormField

from . import uploads
from .models import Announcement, Attachment, CentralContent, Course, Goal, GradingCriterion, Plan, Subject


def staff_schools(user):
    """The schools where the person works today."""
    return School.objects.filter(
        Q(staff_roles__in=SchoolRole.objects.current().filter(user=user))
        | Q(groups__staff_assignments__in=StaffAssignment.objects.current().filter(staff=user))
    ).distinct()


def colleagues(schools):
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(school_roles__in=SchoolRole.objects.current().filter(school__in=schools))
            | Q(staff_assignments__in=StaffAssignment.objects.current().filter(group__school__in=schools))
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def single_line(label, max_length):
    """A short free text (a title): checked like every free text, shown on one line."""
    return CheckedTextFormField(label=label, max_length=max_length, widget=forms.TextInput)


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, group):
        return f"{group.name} ({group.school})"


class PlanForm(forms.ModelForm):
    title = single_line(_("Title"), 200)

    class Meta:
        model = Plan
        fields = [
            "title",
            "school",
            "subject",
            "course",
            "groups",
            "start_date",
            "end_date",
            "purpose",
            "content",
            "working_methods",
            "assessment",
            "co_authors",
            "is_template",
        ]
        field_classes = {"groups": GroupChoiceField}
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "groups": forms.CheckboxSelectMultiple,
            "co_authors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        schools = staff_schools(user)
        if self.instance.pk:
            schools = School.objects.filter(Q(pk=self.instance.school_id) | Q(pk__in=schools.values("pk")))
        self.fields["school"].queryset = schools
        self.fields["school"].empty_label = None
        if len(self.fields["school"].queryset) == 1:
            self.fields["school"].widget = forms.HiddenInput()
            self.initial.setdefault("school", self.fields["school"].queryset[0].pk)
        self.fields["groups"].queryset = (
            PupilGroup.objects.filter(school__in=schools).select_related("school").order_by("school__name", "name")
        )
        self.fields["co_authors"].queryset = colleagues(schools).exclude(pk=user.pk)
        self.fields["subject"].queryset = Subject.objects.select_related("curriculum")
        self.fields["course"].queryset = Course.objects.select_related("subject")
        for name in ("purpose", "content", "working_methods", "assessment"):
            self.fields[name].widget.attrs.update(rows=6)

    def clean(self):
        data = super().clean()
        school, groups = data.get("school"), data.get("groups") or []
        if school and any(group.school_id != school.pk for group in groups):
            self.add_error("groups", _("Choose groups of the plan's school."))
        course, subject = data.get("course"), data.get("subject")
        if course and not subject:
            data["subject"] = course.subject
            self.instance.subject = course.subject
        elif course and subject and course.subject_id != subject.pk:
            self.add_error("course", _("The course does not belong to the subject."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class CurriculumLinksForm(forms.ModelForm):
    """Central content, criteria and goals picked from the plan's subject or course."""

    class Meta:
        model = Plan
        fields = ["central_content", "criteria", "goals"]
        widgets = dict.fromkeys(fields, forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance
        if plan.course_id:
            where = Q(course=plan.course_id)
        elif plan.subject_id:
            where = Q(subject=plan.subject_id, course__isnull=True)
        else:
            where = Q(pk__in=[])
        self.fields["central_content"].queryset = CentralContent.objects.filter(where).order_by("years", "position")
        self.fields["criteria"].queryset = GradingCriterion.objects.filter(where).order_by("year", "position", "level")
        forms_of_groups = {group.school_form for group in plan.groups.all()}
        self.fields["goals"].queryset = Goal.objects.filter(school_form__in=forms_of_groups & {"FK", "FH"})
        self.fields["central_content"].label_from_instance = lambda item: item.text
        self.fields["criteria"].label_from_instance = lambda item: f"{item.level_display}: {item.text}"
        self.fields["goals"].label_from_instance = lambda item: item.text


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=Subject.objects.all(), required=False)
    group = forms.ModelChoiceField(label=_("Group"), queryset=PupilGroup.objects.none(), required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", "---------"), *Plan.State.choices], required=False)
    on = forms.DateField(label=_("Running on"), required=False, widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = PupilGroup.objects.filter(school__in=staff_schools(user))

    def filter(self, plans):
        if not self.is_valid():
            return plans
        data = self.cleaned_data
        if data["q"]:
            plans = plans.filter(title__icontains=data["q"])
        if data["subject"]:
            plans = plans.filter(subject=data["subject"])
        if data["group"]:
            plans = plans.filter(groups=data["group"])
        if data["state"]:
            plans = plans.filter(state=data["state"])
        if data["on"]:
            plans = plans.filter(start_date__lte=data["on"], end_date__gte=data["on"])
        return plans


class CopyPlanForm(forms.Form):
    title = single_line(_("Title"), 200)
    groups = GroupChoiceField(
        label=_("Groups"), queryset=PupilGroup.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    end_date = forms.DateField(label=_("End date"), widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = PupilGroup.objects.filter(school__in=staff_schools(user)).select_related(
            "school"
        )

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        kind = uploads.check(upload, settings_max_size())
        upload.checked_content_type = kind
        name_field = Attachment._meta.get_field("name")
        name = upload.name[-200:]
        name_field.run_checker(name)
        return upload


def settings_max_size():
    return getattr(settings, "PLANNING_MAX_ATTACHMENT_SIZE", uploads.MAX_SIZE)


class AnnouncementForm(forms.ModelForm):
    title = single_line(_("Title"), 200)

    class Meta:
        model = Announcement
        fields = ["school", "groups", "title", "body", "publish_at"]
        field_classes = {"groups": GroupChoiceField}
        widgets = {
            "groups": forms.CheckboxSelectMultiple,
            "publish_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = staff_schools(user)
        self.fields["school"].queryset = schools
        self.fields["school"].empty_label = None
        if len(schools) == 1:
            self.fields["school"].widget = forms.HiddenInput()
            self.initial.setdefault("school", schools[0].pk)
        led = SchoolRole.objects.current().filter(user=user, role__in=[SchoolRole.Role.REKTOR, SchoolRole.Role.ADMIN])
        self.led_school_ids = set(led.values_list("school_id", flat=True))
        self.fields["groups"].queryset = PupilGroup.objects.filter(
            Q(school__in=self.led_school_ids)
            | Q(staff_assignments__in=StaffAssignment.objects.current().filter(staff=user))
        ).distinct()
        self.fields["publish_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        self.initial.setdefault("publish_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean(self):
        data = super().clean()
        school, groups = data.get("school"), data.get("groups")
        if school and not groups and school.pk not in self.led_school_ids:
            self.add_error("groups", _("Choose the groups you teach; only the rektor informs the whole school."))
        if school and groups and any(group.school_id != school.pk for group in groups):
            self.add_error("groups", _("Choose groups of the chosen school."))
        return data

"""People, organisation and the memberships that every permission derives from."""

import datetime
import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from . import personnummer as pnr


class SchoolForm(models.TextChoices):
    PRESCHOOL_CLASS = "FK", _("Preschool class (förskoleklass)")
    LEISURE_TIME_CENTRE = "FH", _("Leisure-time centre (fritidshem)")
    COMPULSORY = "GR", _("Compulsory school (grundskola)")
    UPPER_SECONDARY = "GY", _("Upper secondary school (gymnasieskola)")


class LegalGender(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Organiser(models.Model):
    """Huvudman: the municipality or other body that runs schools."""

    name = models.CharField(_("name"), max_length=200)
    organisation_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    external_id = models.CharField(_("register id"), max_length=100, unique=True, null=True, blank=True)
    # Named in the content checker's messages ("Närvaro registreras i Skola24"); blank: the default.
    attendance_system_name = models.CharField(
        _("attendance system"), max_length=80, blank=True, help_text=_("Where absence is recorded, e.g. Skola24.")
    )
    grading_system_name = models.CharField(
        _("grading system"), max_length=80, blank=True, help_text=_("Where grades are set, e.g. ProCapita.")
    )

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def checker_systems(self) -> dict:
        """The system names the content checker's messages use for this organiser's texts."""
        return {"attendance": self.attendance_system_name, "grading": self.grading_system_name}


class School(models.Model):
    """Skolenhet, with the school forms it offers."""

    organiser = models.ForeignKey(Organiser, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("name"), max_length=200)
    school_unit_code = models.CharField(_("school unit code"), max_length=20, blank=True)
    school_forms = models.JSONField(_("school forms"), default=list, blank=True)
    external_id = models.CharField(_("register id"), max_length=100, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        unknown = set(self.school_forms) - set(SchoolForm.values)
        if unknown:
            raise ValidationError({"school_forms": _("Unknown school form: %s") % ", ".join(sorted(unknown))})

    def get_school_forms_display(self):
        return [SchoolForm(form).label for form in self.school_forms if form in SchoolForm.values]


class PersonnummerField(models.CharField):
    """Accepts every written form of a personnummer and stores twelve digits."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 12)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value or not value.strip():
            return None
        return pnr.parse(value).normalised

    def formfield(self, **kwargs):
        # Room for the separator ("YYYYMMDD-NNNN") in the form; stored without it.
        return super().formfield(**{"max_length": 13, **kwargs})


class User(AbstractUser):
    """A person: pupil, guardian or staff. Roles follow from memberships."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    personnummer = PersonnummerField(
        _("personnummer"),
        unique=True,
        null=True,
        blank=True,
        help_text=_("Twelve digits, stored without separator."),
    )
    register_id = models.CharField(
        _("register id"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The pupil register's own key for this person."),
    )
    legal_gender = models.CharField(_("legal gender"), max_length=1, choices=LegalGender, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    protected_identity = models.BooleanField(
        _("protected identity"),
        default=False,
        help_text=_("Skyddade personuppgifter: never shown to other pupils or guardians."),
    )
    # The part of the profile the person fills in themselves.
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.display_name or self.username

    @property
    def display_name(self):
        return f"{self.preferred_name or self.first_name} {self.last_name}".strip()

    # Roles follow from today's memberships; a person can hold several.
    def current_enrolments(self):
        return self.enrolments.current().select_related("group__school")

    def current_assignments(self):
        return self.staff_assignments.current().select_related("group__school")

    def current_school_roles(self):
        return self.school_roles.current().select_related("school")

    def children(self):
        """The pupils this person is guardian of, with custody."""
        return User.objects.filter(
            guardians__in=Guardianship.objects.current().filter(guardian=self, has_custody=True), is_active=True
        ).order_by("first_name")

    def is_staff_member(self):
        return self.school_roles.current().exists() or self.staff_assignments.current().exists()

    def clean(self):
        super().clean()
        if self.personnummer:
            try:
                parsed = pnr.parse(self.personnummer)
            except ValidationError as error:
                raise ValidationError({"personnummer": error.messages}) from None
            self.personnummer = parsed.normalised

    def save(self, *args, **kwargs):
        if self.personnummer:
            parsed = pnr.parse(self.personnummer)
            self.personnummer = parsed.normalised
            self.birth_date = self.birth_date or parsed.birth_date
            self.legal_gender = self.legal_gender or parsed.legal_gender
        else:
            self.personnummer = None
        if not self.register_id:
            self.register_id = None
        super().save(*args, **kwargs)


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Membership(models.Model):
    """Dated membership; current when today falls between start and end."""

    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})

    def is_current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return (self.start_date is None or self.start_date <= on) and (self.end_date is None or self.end_date >= on)


class SchoolRole(Membership):
    """Staff at a school: teacher, rektor or administrator."""

    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        REKTOR = "rektor", _("Principal (rektor)")
        ADMIN = "admin", _("Administrator")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="school_roles")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role)

    class Meta:
        verbose_name = _("school role")
        verbose_name_plural = _("school roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "school", "role"], name="unique_school_role"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.school}"


class PupilGroup(models.Model):
    """A class, teaching group or leisure-time group in one school year."""

    class Kind(models.TextChoices):
        CLASS = "class", _("Class")
        TEACHING = "teaching", _("Teaching group")
        LEISURE = "leisure", _("Leisure-time group")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.CLASS)
    school_form = models.CharField(_("school form"), max_length=2, choices=SchoolForm)
    year_level = models.PositiveSmallIntegerField(_("year level"), null=True, blank=True)
    school_year = models.PositiveSmallIntegerField(
        _("school year"), help_text=_("The calendar year the school year starts, e.g. 2026 for 2026/27.")
    )
    external_id = models.CharField(_("register id"), max_length=100, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["school_year", "name"]
        permissions = [("view_roster", _("Can see the group's pupils"))]

    def __str__(self):
        return f"{self.name} ({self.school_year}/{(self.school_year + 1) % 100:02d})"


class Enrolment(Membership):
    """A pupil in a group."""

    pupil = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolments")
    group = models.ForeignKey(PupilGroup, on_delete=models.CASCADE, related_name="enrolments")

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = [models.Index(fields=["group", "pupil"], name="enrolment_group_pupil")]

    def __str__(self):
        return f"{self.pupil} i {self.group}"


class StaffAssignment(Membership):
    """A teacher or mentor of a group."""

    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        MENTOR = "mentor", _("Mentor")

    staff = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_assignments")
    group = models.ForeignKey(PupilGroup, on_delete=models.CASCADE, related_name="staff_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.TEACHER)

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        constraints = [
            models.UniqueConstraint(fields=["staff", "group", "role"], name="unique_staff_assignment"),
        ]

    def __str__(self):
        return f"{self.staff} – {self.get_role_display()}, {self.group}"


class Guardianship(Membership):
    """A guardian of a pupil. Only guardians with custody get access."""

    guardian = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardianships")
    pupil = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardians")
    has_custody = models.BooleanField(_("has custody"), default=True)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(fields=["guardian", "pupil"], name="unique_guardianship"),
            models.CheckConstraint(condition=~Q(guardian=models.F("pupil")), name="guardian_is_not_pupil"),
        ]

    def __str__(self):
        return f"{self.guardian} → {self.pupil}"


# Guardian's direct foreign-key permission tables: permission checks join on
# integer keys instead of the generic (content type, text id) pair.
class PersonUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(User, on_delete=models.CASCADE, related_name="direct_user_permissions")


class PersonGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(User, on_delete=models.CASCADE, related_name="direct_group_permissions")


class PupilGroupUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(PupilGroup, on_delete=models.CASCADE, related_name="direct_user_permissions")


class PupilGroupGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(PupilGroup, on_delete=models.CASCADE, related_name="direct_group_permissions")


class SchoolUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(School, on_delete=models.CASCADE, related_name="direct_user_permissions")


class SchoolGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(School, on_delete=models.CASCADE, related_name="direct_group_permissions")

"""Curriculum data, pedagogical plans with rubrics and attachments, and general information.

The curriculum (Lgr22, Gy11) is reference data loaded from Skolverket's
published syllabus data (``manage.py load_curriculum``); its texts are official
wording, so they are stored as loaded and not run through the content checker.
Everything a teacher writes is: plan sections, rubric aspects and descriptors,
attachment names and news use the checked fields of ``unikum.content``.

Who may see a plan or a news item is decided by object permissions granted to
audiences (``planning.permissions``); who may change a plan is its authors.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import PupilGroup, School, SchoolForm
from unikum.content.fields import CheckedHTMLField, CheckedTextField

# Curriculum ------------------------------------------------------------------


class Curriculum(models.Model):
    """A curriculum (läroplan): Lgr22 for FK, FH and GR; Gy11 for GY."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    school_forms = models.JSONField(_("school forms"), default=list, blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("Where the loaded texts come from."))

    class Meta:
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Subject(models.Model):
    """A subject (ämne) with Skolverket's code, e.g. GRGRSVE01 or SVE."""

    curriculum = models.ForeignKey(Curriculum, on_delete=models.PROTECT, related_name="subjects")
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    school_form = models.CharField(_("school form"), max_length=2, choices=SchoolForm)
    purpose = models.TextField(_("purpose"), blank=True)
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["school_form", "name"]

    def __str__(self):
        return self.name


class Course(models.Model):
    """A gymnasium course (kurs) within a subject, e.g. SVESVE01 Svenska 1."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="courses")
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]

    def __str__(self):
        return self.name


class CentralContent(models.Model):
    """One item of central content (centralt innehåll), for a year span or a course."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="central_content")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, null=True, blank=True, related_name="central_content")
    years = models.CharField(_("years"), max_length=10, blank=True, help_text=_("Year span, e.g. 7-9."))
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("central content")
        verbose_name_plural = _("central content")
        ordering = ["subject", "course", "years", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "years", "position"],
                condition=Q(course__isnull=True),
                name="unique_subject_central_content",
            ),
            models.UniqueConstraint(
                fields=["course", "position"], condition=Q(course__isnull=False), name="unique_course_central_content"
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def years_display(self):
        return self.years.replace("-", "–")


class GradingCriterion(models.Model):
    """One paragraph of the grading criteria (betygskriterier, E/C/A) or of the
    knowledge requirements for a checkpoint year (kunskapskrav, years 3 and 6).

    Paragraph ``position`` n of level E, C and A describe the same aspect, so a
    rubric can be built from them row by row.
    """

    class Level(models.TextChoices):
        ACCEPTABLE = "", _("Acceptable knowledge")
        E = "E", "E"
        C = "C", "C"
        A = "A", "A"

    class Kind(models.TextChoices):
        GRADING_CRITERIA = "grading", _("Grading criteria")
        KNOWLEDGE_REQUIREMENT = "requirement", _("Knowledge requirements")

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="criteria")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, null=True, blank=True, related_name="criteria")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=1, choices=Level, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.GRADING_CRITERIA)
    aspect = models.CharField(_("aspect"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("grading criterion")
        verbose_name_plural = _("grading criteria")
        ordering = ["subject", "course", "year", "position", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "year", "level", "position"],
                condition=Q(course__isnull=True),
                name="unique_subject_criterion",
            ),
            models.UniqueConstraint(
                fields=["course", "level", "position"],
                condition=Q(course__isnull=False),
                name="unique_course_criterion",
            ),
        ]

    def __str__(self):
        return f"{self.level_display}: {self.text[:80]}"

    @property
    def level_display(self):
        return self.level or str(_("Acceptable"))

    def aspect_key(self):
        """Which rubric row this paragraph belongs to."""
        return (self.subject_id, self.course_id, self.year, self.kind, self.position)


class Goal(models.Model):
    """A goal for förskoleklass or fritidshem (Lgr22 parts 3 and 4)."""

    curriculum = models.ForeignKey(Curriculum, on_delete=models.CASCADE, related_name="goals")
    school_form = models.CharField(_("school form"), max_length=2, choices=SchoolForm)
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["curriculum", "school_form", "position"]
        constraints = [
            models.UniqueConstraint(fields=["curriculum", "school_form", "position"], name="unique_goal_position"),
        ]

    def __str__(self):
        return self.text[:80]


# Plans -----------------------------------------------------------------------


class PlanQuerySet(models.QuerySet):
    def authored_by(self, user):
        return self.filter(Q(created_by=user) | Q(co_authors=user)).distinct()

    def published(self):
        return self.filter(state=Plan.State.PUBLISHED)

    def current_first(self):
        """Running plans first, then coming ones, then past ones."""
        today = timezone.localdate()
        return self.annotate(
            is_past=models.Case(
                models.When(end_date__lt=today, then=models.Value(1)),
                default=models.Value(0),
                output_field=models.IntegerField(),
            )
        ).order_by("is_past", "start_date", "title")


class Plan(models.Model):
    """A pedagogical plan (pedagogisk planering) for a period of teaching."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="plans")
    title = CheckedTextField(_("title"), max_length=200)
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="plans", verbose_name=_("subject")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, null=True, blank=True, related_name="plans", verbose_name=_("course")
    )
    groups = models.ManyToManyField(PupilGroup, blank=True, related_name="plans", verbose_name=_("groups"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    purpose = CheckedHTMLField(_("purpose and goals"), blank=True)
    content = CheckedHTMLField(_("content"), blank=True)
    working_methods = CheckedHTMLField(_("how we work"), blank=True)
    assessment = CheckedHTMLField(_("how knowledge is shown and assessed"), blank=True)
    central_content = models.ManyToManyField(
        CentralContent, blank=True, related_name="plans", verbose_name=_("central content")
    )
    criteria = models.ManyToManyField(GradingCriterion, blank=True, related_name="plans", verbose_name=_("criteria"))
    goals = models.ManyToManyField(Goal, blank=True, related_name="plans", verbose_name=_("goals"))
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.DRAFT)
    is_template = models.BooleanField(
        _("shared as a template"), default=False, help_text=_("Colleagues at the school can copy it.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_plans", verbose_name=_("author")
    )
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_authored_plans", verbose_name=_("co-authors")
    )
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-start_date", "title"]
        indexes = [models.Index(fields=["school", "state"], name="plan_school_state")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="plan_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        if self.course_id and self.subject_id and self.course.subject_id != self.subject_id:
            raise ValidationError({"course": _("The course does not belong to the subject.")})

    @property
    def subject_display(self):
        return self.course or self.subject or ""

    def is_author(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if self.created_by_id == user.pk:
            return True
        return any(author.pk == user.pk for author in self.co_authors.all())


class PlanUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="direct_user_permissions")


class PlanGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="direct_group_permissions")


# Rubrics ---------------------------------------------------------------------


class Rubric(models.Model):
    """A plan's rubric (bedömningsmatris): aspects (rows) by levels (columns)."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="rubric")

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self):
        return str(self.plan)


class RubricLevel(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(_("level"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["rubric", "position"], name="unique_rubric_level_position")]

    def __str__(self):
        return self.name


class RubricRow(models.Model):
    """An aspect of the rubric; its cells describe each level."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="rows")
    title = CheckedTextField(_("aspect"), max_length=300)
    position = models.PositiveIntegerField(_("position"))
    criterion = models.ForeignKey(
        GradingCriterion, on_delete=models.SET_NULL, null=True, blank=True, related_name="rubric_rows"
    )

    class Meta:
        verbose_name = _("rubric row")
        verbose_name_plural = _("rubric rows")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class RubricCell(models.Model):
    row = models.ForeignKey(RubricRow, on_delete=models.CASCADE, related_name="cells")
    level = models.ForeignKey(RubricLevel, on_delete=models.CASCADE, related_name="cells")
    descriptor = CheckedTextField(_("descriptor"), blank=True)

    class Meta:
        verbose_name = _("rubric cell")
        verbose_name_plural = _("rubric cells")
        constraints = [models.UniqueConstraint(fields=["row", "level"], name="unique_rubric_cell")]

    def __str__(self):
        return self.descriptor[:80]


# Attachments -----------------------------------------------------------------


def attachment_path(instance, filename):
    # The stored name is random: the original name is kept in the row only.
    return f"planning/{instance.plan.code}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a plan; served only through a view that checks the plan's permission."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="attachments")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = CheckedTextField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


# General information ---------------------------------------------------------


class AnnouncementQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(publish_at__lte=now or timezone.now())


class Announcement(models.Model):
    """General information about the education (allmän information) from a school,
    or from some of its groups, to their pupils and guardians, shown from ``publish_at``."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="announcements")
    groups = models.ManyToManyField(
        PupilGroup,
        blank=True,
        related_name="announcements",
        verbose_name=_("groups"),
        help_text=_("Leave empty to inform the whole school."),
    )
    title = CheckedTextField(_("title"), max_length=200)
    body = CheckedHTMLField(_("text"))
    publish_at = models.DateTimeField(_("publish from"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("general information")
        verbose_name_plural = _("general information")
        ordering = ["-publish_at"]

    def __str__(self):
        return self.title

    def is_published(self):
        return self.publish_at <= timezone.now()


class AnnouncementUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="direct_user_permissions")


class AnnouncementGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="direct_group_permissions")

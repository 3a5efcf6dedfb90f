"""Assessment of knowledge development: formative (learning log, rubric marks) and summative.

Nothing here is a grade: grades are set in the pupil register (ProCapita). An
assessment describes a pupil's knowledge in relation to the criteria.

* ``LearningLogEntry`` (lärlogg): the teacher's feedback on a piece of work,
  for one pupil or a whole group, with optional evidence and the pupils' own
  ``Reflection``. A draft until shared.
* ``RubricAssessment``: one pupil against one plan's rubric. Its ``RubricMark``
  rows are append-only: a new mark for an aspect never overwrites the earlier
  ones, so progression shows.
* ``SummativeAssessment``: per pupil, subject and term, a step on the
  organiser's ``AssessmentScale`` and a written comment. A draft until published.

Who may see or change each of them is decided by object permissions granted to
audiences (``assessment.permissions``). Every free text passes the content
checker at the model layer; every model is audited (``AssessmentConfig.ready``).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Organiser, PupilGroup, School
from planning.models import Plan, RubricLevel, RubricRow, Subject
from unikum.content.fields import CheckedHTMLField, CheckedTextField

# Scales ----------------------------------------------------------------------


class StandardStep(models.TextChoices):
    NOT_SUFFICIENT = "not_sufficient", _("Not sufficient knowledge in relation to the criteria")
    SUFFICIENT = "sufficient", _("Sufficient knowledge in relation to the criteria")
    MORE_THAN_SUFFICIENT = "more_than_sufficient", _("More than sufficient knowledge in relation to the criteria")


DEFAULT_STEPS = [
    (StandardStep.NOT_SUFFICIENT, False),
    (StandardStep.SUFFICIENT, True),
    (StandardStep.MORE_THAN_SUFFICIENT, True),
]


class AssessmentScale(models.Model):
    """The steps an organiser describes knowledge development with at the end of a term."""

    organiser = models.OneToOneField(Organiser, on_delete=models.CASCADE, related_name="assessment_scale")
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("assessment scale")
        verbose_name_plural = _("assessment scales")

    def __str__(self):
        return self.name or str(_("Knowledge development scale"))

    @classmethod
    def for_organiser(cls, organiser) -> "AssessmentScale":
        """The organiser's scale; the default three steps are created on first use."""
        scale = cls.objects.filter(organiser=organiser).first()
        if scale is not None:
            return scale
        with transaction.atomic():
            scale, created = cls.objects.get_or_create(organiser=organiser)
            if created:
                for position, (standard, sufficient) in enumerate(DEFAULT_STEPS):
                    ScaleStep.objects.create(scale=scale, standard=standard, sufficient=sufficient, position=position)
        return scale


class ScaleStep(models.Model):
    """One step of a scale. The default steps carry a ``standard`` key and are translated;
    an organiser's own steps carry their ``name``."""

    scale = models.ForeignKey(AssessmentScale, on_delete=models.CASCADE, related_name="steps")
    standard = models.CharField(_("standard step"), max_length=30, choices=StandardStep, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    sufficient = models.BooleanField(
        _("sufficient"), default=True, help_text=_("Knowledge at this step is sufficient in relation to the criteria.")
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("scale step")
        verbose_name_plural = _("scale steps")
        ordering = ["scale", "position"]
        constraints = [models.UniqueConstraint(fields=["scale", "position"], name="unique_scale_step_position")]

    def __str__(self):
        return self.name or self.get_standard_display()

    def clean(self):
        if not self.name and not self.standard:
            raise ValidationError({"name": _("Give the step a name.")})


# Shared pieces ---------------------------------------------------------------


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared")


class Term(models.IntegerChoices):
    SPRING = 1, _("Spring term")
    AUTUMN = 2, _("Autumn term")


def current_term(today=None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, Term.SPRING if today.month <= 6 else Term.AUTUMN


class VersionConflict(Exception):
    """Somebody else saved the record since the form was opened."""

    def __init__(self, current):
        super().__init__("version conflict")
        self.current = current


# Formative: learning log -----------------------------------------------------


def evidence_path(instance, filename):
    # The stored name is random: the original name is kept in the row only.
    return f"assessment/{instance.code}/{uuid.uuid4().hex}"


class LearningLogEntry(models.Model):
    """Lärlogg: feedback on a piece of work in a plan, to one pupil or to a whole group."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="learning_log")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="learning_log"
    )
    group = models.ForeignKey(PupilGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="learning_log")
    title = CheckedTextField(_("title"), max_length=200)
    current = CheckedHTMLField(_("where the pupil is"), blank=True)
    goal = CheckedHTMLField(_("where the pupil is going"), blank=True)
    next_step = CheckedTextField(_("the next step"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=300, blank=True)
    evidence_name = CheckedTextField(_("file name"), max_length=200, blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("learning log entry")
        verbose_name_plural = _("learning log entries")
        ordering = ["-created_at"]
        permissions = [("view_reflections", _("Can read every pupil's reflection"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(pupil__isnull=True, group__isnull=False) | Q(pupil__isnull=False, group__isnull=True),
                name="learning_log_pupil_or_group",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "state"], name="learning_log_pupil_state")]

    def __str__(self):
        return self.title

    @property
    def is_shared(self):
        return self.state == State.SHARED


class Reflection(models.Model):
    """A pupil's own reflection on a learning log entry; one per pupil and entry."""

    entry = models.ForeignKey(LearningLogEntry, on_delete=models.CASCADE, related_name="reflections")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections")
    text = CheckedTextField(_("my reflection"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["entry", "pupil"], name="unique_reflection_per_pupil")]

    def __str__(self):
        return self.text[:80]


class LearningLogEntryUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(
        LearningLogEntry, on_delete=models.CASCADE, related_name="direct_user_permissions"
    )


class LearningLogEntryGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(
        LearningLogEntry, on_delete=models.CASCADE, related_name="direct_group_permissions"
    )


# Formative: rubric assessment ------------------------------------------------


class RubricAssessment(models.Model):
    """One pupil against one plan's rubric; the marks below it are its history."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="rubric_assessments")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rubric_assessments")
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True)

    class Meta:
        verbose_name = _("rubric assessment")
        verbose_name_plural = _("rubric assessments")
        constraints = [models.UniqueConstraint(fields=["plan", "pupil"], name="unique_rubric_assessment")]

    def __str__(self):
        return f"{self.plan} – {self.pupil}"


class RubricMark(models.Model):
    """The level a pupil reached on one aspect, on a date. Append-only: never updated or deleted."""

    assessment = models.ForeignKey(RubricAssessment, on_delete=models.CASCADE, related_name="marks")
    row = models.ForeignKey(RubricRow, on_delete=models.CASCADE, related_name="marks")
    level = models.ForeignKey(RubricLevel, on_delete=models.CASCADE, related_name="marks")
    date = models.DateField(_("date"), default=timezone.localdate)
    comment = CheckedTextField(_("comment"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("rubric mark")
        verbose_name_plural = _("rubric marks")
        ordering = ["date", "created_at", "id"]
        indexes = [models.Index(fields=["assessment", "row", "created_at"], name="rubric_mark_history")]

    def __str__(self):
        return f"{self.row}: {self.level}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A rubric mark is never changed; add a new one."))
        super().save(*args, **kwargs)


class RubricAssessmentUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(
        RubricAssessment, on_delete=models.CASCADE, related_name="direct_user_permissions"
    )


class RubricAssessmentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(
        RubricAssessment, on_delete=models.CASCADE, related_name="direct_group_permissions"
    )


# Summative -------------------------------------------------------------------


class SummativeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=SummativeAssessment.State.PUBLISHED)

    def latest_per_subject(self):
        """Only the newest term of each pupil and subject within this queryset's states."""
        newer = self.model.objects.filter(
            pupil=models.OuterRef("pupil"), subject=models.OuterRef("subject"), state=models.OuterRef("state")
        ).filter(
            Q(year__gt=models.OuterRef("year")) | Q(year=models.OuterRef("year"), term__gt=models.OuterRef("term"))
        )
        return self.filter(~models.Exists(newer))


class SummativeAssessment(models.Model):
    """The knowledge development status of a pupil in a subject at the end of a term."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="summative_assessments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="summative_assessments")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="summative_assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    term = models.PositiveSmallIntegerField(_("term"), choices=Term)
    step = models.ForeignKey(ScaleStep, on_delete=models.PROTECT, related_name="+", verbose_name=_("status"))
    comment = CheckedHTMLField(_("comment"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("teacher")
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SummativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("summative assessment")
        verbose_name_plural = _("summative assessments")
        ordering = ["-year", "-term"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "subject", "year", "term"], name="unique_summative_per_term"),
        ]
        indexes = [models.Index(fields=["pupil", "subject", "state"], name="summative_pupil_subject")]

    def __str__(self):
        return f"{self.subject} {self.term_display}"

    @property
    def term_display(self):
        return f"{self.get_term_display()} {self.year}"

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED


class SummativeAssessmentUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(
        SummativeAssessment, on_delete=models.CASCADE, related_name="direct_user_permissions"
    )


class SummativeAssessmentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(
        SummativeAssessment, on_delete=models.CASCADE, related_name="direct_group_permissions"
    )

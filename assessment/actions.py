"""What teachers and pupils do to assessments, as plain functions.

Each runs in one transaction, saves through the model (so the content checker
and django-auditlog see every write) and re-derives who may see the record
before it returns. Saving an entry or a summative assessment is guarded by
optimistic locking: the form carries the ``version`` it was opened with, the
row is locked with ``select_for_update()`` and the save is refused with
``VersionConflict`` if somebody else saved in between, so nothing is lost.
"""

from django.db import transaction
from django.utils import timezone

from planning import uploads

from .models import (
    LearningLogEntry,
    Reflection,
    RubricAssessment,
    RubricMark,
    State,
    SummativeAssessment,
    VersionConflict,
)
from .permissions import sync_grants

ENTRY_FIELDS = ["title", "current", "goal", "next_step"]
SUMMATIVE_FIELDS = ["subject", "year", "term", "step", "comment"]


def _attach_evidence(entry, upload):
    """Store the upload as the entry's evidence. The file it replaces is deleted once the
    change is committed: a pupil's work no row points to must not stay on disk."""
    replaced, storage = entry.evidence.name, entry.evidence.storage
    entry.evidence_content_type = uploads.check(upload)
    entry.evidence_name = upload.name[-200:]
    entry.evidence.save(upload.name, upload, save=False)
    if replaced:
        transaction.on_commit(lambda: storage.delete(replaced))


@transaction.atomic
def create_entry(user, plan, *, pupil=None, group=None, data, evidence=None) -> LearningLogEntry:
    """A new draft learning log entry by ``user``, to one pupil or one group."""
    entry = LearningLogEntry(plan=plan, pupil=pupil, group=group, created_by=user, updated_by=user)
    for name in ENTRY_FIELDS:
        setattr(entry, name, data[name])
    if evidence is not None:
        _attach_evidence(entry, evidence)
    entry.save()
    sync_grants(entry)
    return entry


def _locked(model, record, version):
    current = model.objects.select_for_update().get(pk=record.pk)
    if current.version != version:
        raise VersionConflict(current)
    return current


@transaction.atomic
def save_entry(entry, user, *, version, data, evidence=None) -> LearningLogEntry:
    """Save a teacher's edit, unless someone else saved since ``version`` was read."""
    current = _locked(LearningLogEntry, entry, version)
    for name in ENTRY_FIELDS:
        setattr(current, name, data[name])
    if evidence is not None:
        _attach_evidence(current, evidence)
    current.version += 1
    current.updated_by = user
    current.save()
    return current


@transaction.atomic
def share_entry(entry, user) -> LearningLogEntry:
    """Show the entry to the pupil and their guardians (or the group's pupils and guardians)."""
    entry = LearningLogEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.state != State.SHARED:
        entry.state = State.SHARED
        entry.shared_at = timezone.now()
        entry.updated_by = user
        entry.save(update_fields=["state", "shared_at", "updated_by", "updated_at"])
        sync_grants(entry)
    return entry


@transaction.atomic
def save_reflection(entry, pupil, text) -> Reflection:
    reflection = Reflection.objects.select_for_update().filter(entry=entry, pupil=pupil).first()
    if reflection is None:
        reflection = Reflection(entry=entry, pupil=pupil)
    reflection.text = text
    reflection.save()
    return reflection


# Rubric marks ----------------------------------------------------------------


def rubric_assessments_for(plan, pupils, user) -> dict[int, RubricAssessment]:
    """pupil id → the pupil's rubric assessment on ``plan``, created (as a draft) if missing."""
    found = {ra.pupil_id: ra for ra in RubricAssessment.objects.filter(plan=plan, pupil__in=pupils)}
    created = []
    for pupil in pupils:
        if pupil.pk not in found:
            # get_or_create: two cells of a new pupil can be saved at the same moment.
            found[pupil.pk], is_new = RubricAssessment.objects.get_or_create(
                plan=plan, pupil=pupil, defaults={"created_by": user}
            )
            if is_new:
                created.append(found[pupil.pk])
    if created:
        sync_grants(*created)
    return found


@transaction.atomic
def record_marks(user, plan, marks) -> list[RubricMark]:
    """Append marks: ``marks`` is a list of (pupil, row, level, comment, date).

    Earlier marks stay; the newest one per aspect is the pupil's current level.
    """
    pupils = list({pupil.pk: pupil for pupil, *_ in marks}.values())
    assessments = rubric_assessments_for(plan, pupils, user)
    saved = []
    for pupil, row, level, comment, date in marks:
        mark = RubricMark(
            assessment=assessments[pupil.pk], row=row, level=level, comment=comment or "", created_by=user
        )
        if date:
            mark.date = date
        mark.save()
        saved.append(mark)
    return saved


@transaction.atomic
def share_rubric_assessments(user, plan, pupils) -> int:
    """Show the rubric assessments of ``pupils`` on ``plan`` to them and their guardians."""
    assessments = list(
        RubricAssessment.objects.select_for_update().filter(plan=plan, pupil__in=pupils, state=State.DRAFT)
    )
    now = timezone.now()
    for assessment in assessments:
        assessment.state = State.SHARED
        assessment.shared_at = now
        assessment.save(update_fields=["state", "shared_at"])
    if assessments:
        sync_grants(*assessments)
    return len(assessments)


# Summative -------------------------------------------------------------------


@transaction.atomic
def create_summative(user, pupil, school, data) -> SummativeAssessment:
    assessment = SummativeAssessment(pupil=pupil, school=school, created_by=user, updated_by=user)
    for name in SUMMATIVE_FIELDS:
        setattr(assessment, name, data[name])
    assessment.save()
    sync_grants(assessment)
    return assessment


@transaction.atomic
def save_summative(assessment, user, *, version, data) -> SummativeAssessment:
    """Save a teacher's edit, unless someone else saved since ``version`` was read."""
    current = _locked(SummativeAssessment, assessment, version)
    for name in SUMMATIVE_FIELDS:
        setattr(current, name, data[name])
    current.version += 1
    current.updated_by = user
    current.save()
    return current


@transaction.atomic
def publish_summative(assessment, user) -> SummativeAssessment:
    """Publish to the pupil and their guardians; their access follows in the same transaction."""
    assessment = SummativeAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.state != SummativeAssessment.State.PUBLISHED:
        assessment.state = SummativeAssessment.State.PUBLISHED
        assessment.published_at = timezone.now()
        assessment.updated_by = user
        assessment.version += 1
        assessment.save(update_fields=["state", "published_at", "updated_by", "version", "updated_at"])
        sync_grants(assessment)
    return assessment

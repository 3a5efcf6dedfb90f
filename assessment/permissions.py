"""Which audience may see and change which assessment.

An assessment of one pupil (a learning log entry to the pupil, a rubric
assessment, a summative assessment) follows the pupil, not the group it was
written in:

* ``view`` to the staff who meet the pupil today (``pupil_staff``: teachers and
  mentors of the pupil's current groups, rektor and administrators of their
  schools), in every state;
* ``change`` to the teachers and mentors of the pupil's current groups
  (``group_teachers`` of each), so a rektor may read but not rewrite;
* ``view`` to the pupil and their guardians with custody (``pupil_circle``)
  once it is shared or published.

So when a pupil moves to another group, the pupil and guardians keep the whole
history, the new group's teachers take it over (history included), and the old
group's teachers lose access to all of it, new entries and old, at once. That is
what "staff who meet the pupil" means in the role model.

A learning log entry to a whole group follows the group: ``view`` and
``change`` to its teachers, ``view`` to its school's leaders, and once shared
``view`` to the group's pupils and guardians. Staff audiences also get
``view_reflections`` (every pupil's reflection); pupils and guardians read
only their own.

The providers are registered with ``accounts.audiences``, so
``sync_permissions`` checks and repairs these grants; sharing and publishing
re-derive the object's grants in the same transaction (``sync_grants``).
"""

from collections import defaultdict

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from guardian.utils import get_group_obj_perms_model

from accounts import audiences
from accounts.audiences import Grant, GrantProvider, Scope
from accounts.models import Enrolment, PupilGroup

from .models import LearningLogEntry, RubricAssessment, State, SummativeAssessment

VIEW_ENTRY = "assessment.view_learninglogentry"
CHANGE_ENTRY = "assessment.change_learninglogentry"
VIEW_REFLECTIONS = "assessment.view_reflections"
VIEW_RUBRIC = "assessment.view_rubricassessment"
CHANGE_RUBRIC = "assessment.change_rubricassessment"
VIEW_SUMMATIVE = "assessment.view_summativeassessment"
CHANGE_SUMMATIVE = "assessment.change_summativeassessment"

PERMISSIONS = {
    LearningLogEntry: (VIEW_ENTRY, CHANGE_ENTRY, VIEW_REFLECTIONS),
    RubricAssessment: (VIEW_RUBRIC, CHANGE_RUBRIC),
    SummativeAssessment: (VIEW_SUMMATIVE, CHANGE_SUMMATIVE),
}


def current_groups_of(pupil_ids) -> dict[int, set[int]]:
    groups = defaultdict(set)
    for pupil_id, group_id in (
        Enrolment.objects.current().filter(pupil_id__in=pupil_ids).values_list("pupil_id", "group_id")
    ):
        groups[pupil_id].add(group_id)
    return groups


def _pupil_record_grants(model, rows, view, change, extra_staff=()) -> set[Grant]:
    """Grants for records of one pupil; ``rows`` are (id, pupil_id, visible_to_circle)."""
    rows = list(rows)
    groups = current_groups_of({pupil_id for _, pupil_id, _ in rows})
    grants = set()
    for object_id, pupil_id, for_circle in rows:
        for perm in (view, *extra_staff):
            grants.add(Grant(audiences.pupil_staff(pupil_id), perm, model, object_id))
        for group_id in groups[pupil_id]:
            grants.add(Grant(audiences.group_teachers(group_id), change, model, object_id))
        if for_circle:
            grants.add(Grant(audiences.pupil_circle(pupil_id), view, model, object_id))
    return grants


def entry_grants(entries) -> set[Grant]:
    rows = list(entries.values_list("id", "pupil_id", "group_id", "group__school_id", "state"))
    grants = _pupil_record_grants(
        LearningLogEntry,
        [(pk, pupil_id, state == State.SHARED) for pk, pupil_id, _, _, state in rows if pupil_id],
        VIEW_ENTRY,
        CHANGE_ENTRY,
        extra_staff=(VIEW_REFLECTIONS,),
    )
    for pk, pupil_id, group_id, school_id, state in rows:
        if pupil_id:
            continue
        teachers, leaders = audiences.group_teachers(group_id), audiences.school_leaders(school_id)
        for perm in (VIEW_ENTRY, CHANGE_ENTRY, VIEW_REFLECTIONS):
            grants.add(Grant(teachers, perm, LearningLogEntry, pk))
        for perm in (VIEW_ENTRY, VIEW_REFLECTIONS):
            grants.add(Grant(leaders, perm, LearningLogEntry, pk))
        if state == State.SHARED:
            for name in (audiences.group_pupils(group_id), audiences.group_guardians(group_id)):
                grants.add(Grant(name, VIEW_ENTRY, LearningLogEntry, pk))
    return grants


def rubric_grants(assessments) -> set[Grant]:
    rows = assessments.values_list("id", "pupil_id", "state")
    return _pupil_record_grants(
        RubricAssessment,
        [(pk, pupil_id, state == State.SHARED) for pk, pupil_id, state in rows],
        VIEW_RUBRIC,
        CHANGE_RUBRIC,
    )


def summative_grants(assessments) -> set[Grant]:
    rows = assessments.values_list("id", "pupil_id", "state")
    return _pupil_record_grants(
        SummativeAssessment,
        [(pk, pupil_id, state == SummativeAssessment.State.PUBLISHED) for pk, pupil_id, state in rows],
        VIEW_SUMMATIVE,
        CHANGE_SUMMATIVE,
    )


DERIVE = {LearningLogEntry: entry_grants, RubricAssessment: rubric_grants, SummativeAssessment: summative_grants}


def _in_scope(model, scope: Scope):
    """The records whose grants name an audience in ``scope``."""
    records = model.objects.all()
    if scope.is_everything():
        return records
    pupils = set(scope.pupils or ())
    if model is not LearningLogEntry:
        return records.filter(pupil_id__in=pupils)
    groups = set(scope.groups or ())
    if scope.schools:
        groups |= set(PupilGroup.objects.filter(school_id__in=scope.schools).values_list("id", flat=True))
    return records.filter(Q(pupil_id__in=pupils) | Q(group_id__in=groups))


@transaction.atomic
def sync_grants(*records) -> None:
    """Re-derive the grants of these records now: after creating, sharing or publishing.

    Derived rows carry no personal data and are not audited; the record change is.
    """
    by_model = defaultdict(list)
    for record in records:
        by_model[type(record)].append(record.pk)
    for model, ids in by_model.items():
        _apply(model, ids, DERIVE[model](model.objects.filter(id__in=ids)))


def _apply(model, object_ids, wanted: set[Grant]) -> None:
    perm_model = get_group_obj_perms_model(model)
    content_type = ContentType.objects.get_for_model(model)
    stored_rows = perm_model.objects.filter(
        content_object_id__in=object_ids, permission__content_type=content_type
    ).values_list("id", "group__name", "permission__codename", "content_object_id")
    stored = {
        Grant(name, f"assessment.{codename}", model, object_id): row_id
        for row_id, name, codename, object_id in stored_rows
    }
    extra = [row_id for grant, row_id in stored.items() if grant not in wanted]
    if extra:
        perm_model.objects.filter(id__in=extra).delete()
    missing = wanted - set(stored)
    if not missing:
        return
    permissions = {f"assessment.{perm.codename}": perm for perm in Permission.objects.filter(content_type=content_type)}
    groups = {name: audiences.audience(name) for name in {grant.audience for grant in missing}}
    perm_model.objects.bulk_create(
        [
            perm_model(
                group=groups[grant.audience],
                permission=permissions[grant.permission],
                content_object_id=grant.object_id,
            )
            for grant in missing
        ],
        ignore_conflicts=True,
    )


_registered = []


def register():
    """Called once from ``AssessmentConfig.ready``."""
    if _registered:
        return
    _registered.append(True)
    for model, perms in PERMISSIONS.items():
        audiences.register_grants(
            GrantProvider(
                model,
                lambda scope, model=model: DERIVE[model](_in_scope(model, scope)),
                lambda scope, model=model: _in_scope(model, scope).values_list("id", flat=True),
                list(perms),
            )
        )

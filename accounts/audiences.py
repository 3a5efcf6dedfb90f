"""The role model: audiences derived from memberships, and the grants made to them.

An audience is a Django auth group whose members follow from today's
memberships ("teachers of 7A", "the circle of pupil P"). Object permissions are
granted to audiences, never to individuals, so when a membership changes only
audience membership changes and access follows at once.

This module is the one place that derives audience membership. Apps that
protect their own objects register a grant provider (``register_grants``) that
says which audience should hold which permission on which object; the
``sync_permissions`` command recomputes everything and reports drift.

Memberships with a start or end date take effect through the nightly
``sync_permissions`` run; every save or delete of a membership takes effect in
the same transaction.
"""

import contextlib
import functools
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from unikum import bulkload

from .models import Enrolment, Guardianship, PupilGroup, School, SchoolRole, StaffAssignment, User

PREFIX = "audience:"


# Audience names. Readable in the admin, stable, and derivable from the object.
def group_teachers(group_id: int) -> str:
    return f"{PREFIX}group:{group_id}:teachers"


def group_pupils(group_id: int) -> str:
    return f"{PREFIX}group:{group_id}:pupils"


def group_guardians(group_id: int) -> str:
    return f"{PREFIX}group:{group_id}:guardians"


def pupil_circle(pupil_id: int) -> str:
    """The pupil and their guardians with custody."""
    return f"{PREFIX}pupil:{pupil_id}:circle"


def pupil_guardians(pupil_id: int) -> str:
    return f"{PREFIX}pupil:{pupil_id}:guardians"


def pupil_staff(pupil_id: int) -> str:
    """Staff who meet the pupil: teachers and mentors of the pupil's groups, and
    the rektor and administrators of those groups' schools."""
    return f"{PREFIX}pupil:{pupil_id}:staff"


def pupil_mentors(pupil_id: int) -> str:
    return f"{PREFIX}pupil:{pupil_id}:mentors"


def school_staff(school_id: int) -> str:
    return f"{PREFIX}school:{school_id}:staff"


def school_leaders(school_id: int) -> str:
    """Rektor and administrators of the school."""
    return f"{PREFIX}school:{school_id}:leaders"


def audience(name: str) -> AuthGroup:
    """The auth group for an audience name, created on first use."""
    group, _ = AuthGroup.objects.get_or_create(name=name)
    return group


@dataclass
class Scope:
    """Which audiences to recompute. ``None`` everywhere means all of them."""

    groups: set[int] | None = None
    pupils: set[int] | None = None
    schools: set[int] | None = None

    @classmethod
    def everything(cls):
        return cls()

    @classmethod
    def empty(cls):
        return cls(set(), set(), set())

    def is_everything(self):
        return self.groups is None and self.pupils is None and self.schools is None

    def __or__(self, other: "Scope") -> "Scope":
        def union(a, b):
            return None if a is None or b is None else a | b

        return Scope(
            union(self.groups, other.groups),
            union(self.pupils, other.pupils),
            union(self.schools, other.schools),
        )


def _limit(queryset, field_name, ids):
    return queryset if ids is None else queryset.filter(**{f"{field_name}__in": ids})


def derive_memberships(scope: Scope) -> dict[str, set[int]]:
    """Audience name → the ids of the users who should be in it today."""
    today = timezone.localdate()
    enrolments = Enrolment.objects.current(today).filter(pupil__is_active=True)
    assignments = StaffAssignment.objects.current(today).filter(staff__is_active=True)
    custody = Guardianship.objects.current(today).filter(
        has_custody=True, guardian__is_active=True, pupil__is_active=True
    )
    leaders = SchoolRole.objects.current(today).filter(
        user__is_active=True, role__in=[SchoolRole.Role.REKTOR, SchoolRole.Role.ADMIN]
    )
    result: dict[str, set[int]] = defaultdict(set)

    # Per group.
    # A scoped sync names every audience of every id in scope, even of groups,
    # pupils and schools that no longer have memberships (or rows), so that
    # their stale members are compared and removed.
    group_ids = scope.groups
    for group_id in PupilGroup.objects.values_list("id", flat=True) if group_ids is None else group_ids:
        for name in (group_teachers(group_id), group_pupils(group_id), group_guardians(group_id)):
            result[name]
    pupils_by_group = defaultdict(set)
    for group_id, pupil_id in _limit(enrolments, "group_id", group_ids).values_list("group_id", "pupil_id"):
        result[group_pupils(group_id)].add(pupil_id)
        pupils_by_group[group_id].add(pupil_id)
    for group_id, staff_id in _limit(assignments, "group_id", group_ids).values_list("group_id", "staff_id"):
        result[group_teachers(group_id)].add(staff_id)
    guardians_by_pupil = defaultdict(set)
    all_group_pupils = set().union(*pupils_by_group.values()) if pupils_by_group else set()
    wanted_pupils = None if group_ids is None else all_group_pupils
    for pupil_id, guardian_id in _limit(custody, "pupil_id", wanted_pupils).values_list("pupil_id", "guardian_id"):
        guardians_by_pupil[pupil_id].add(guardian_id)
    for group_id, pupil_ids in pupils_by_group.items():
        for pupil_id in pupil_ids:
            result[group_guardians(group_id)] |= guardians_by_pupil[pupil_id]

    # Per pupil: everyone who has ever been enrolled has audiences.
    pupil_ids = scope.pupils
    known_pupils = set(_limit(Enrolment.objects, "pupil_id", pupil_ids).values_list("pupil_id", flat=True))
    for pupil_id in known_pupils if pupil_ids is None else pupil_ids:
        for name in (pupil_circle(pupil_id), pupil_guardians(pupil_id), pupil_staff(pupil_id), pupil_mentors(pupil_id)):
            result[name]
    active_pupils = set(_limit(User.objects.filter(is_active=True), "id", pupil_ids).values_list("id", flat=True))
    for pupil_id in known_pupils & active_pupils:
        result[pupil_circle(pupil_id)].add(pupil_id)
    for pupil_id, guardian_id in _limit(custody, "pupil_id", pupil_ids).values_list("pupil_id", "guardian_id"):
        result[pupil_circle(pupil_id)].add(guardian_id)
        result[pupil_guardians(pupil_id)].add(guardian_id)
    groups_of_pupil = defaultdict(set)
    schools_of_group = {}
    for pupil_id, group_id, school_id in _limit(enrolments, "pupil_id", pupil_ids).values_list(
        "pupil_id", "group_id", "group__school_id"
    ):
        groups_of_pupil[pupil_id].add(group_id)
        schools_of_group[group_id] = school_id
    staff_of_group = defaultdict(set)
    mentors_of_group = defaultdict(set)
    wanted_groups = None if pupil_ids is None else set(schools_of_group)
    wanted_schools = None if pupil_ids is None else set(schools_of_group.values())
    for group_id, staff_id, role in _limit(assignments, "group_id", wanted_groups).values_list(
        "group_id", "staff_id", "role"
    ):
        staff_of_group[group_id].add(staff_id)
        if role == StaffAssignment.Role.MENTOR:
            mentors_of_group[group_id].add(staff_id)
    leaders_of_school = defaultdict(set)
    for school_id, user_id in _limit(leaders, "school_id", wanted_schools).values_list("school_id", "user_id"):
        leaders_of_school[school_id].add(user_id)
    for pupil_id, group_ids_of_pupil in groups_of_pupil.items():
        for group_id in group_ids_of_pupil:
            result[pupil_staff(pupil_id)] |= staff_of_group[group_id] | leaders_of_school[schools_of_group[group_id]]
            result[pupil_mentors(pupil_id)] |= mentors_of_group[group_id]

    # Per school.
    school_ids = scope.schools
    for school_id in School.objects.values_list("id", flat=True) if school_ids is None else school_ids:
        result[school_staff(school_id)]
        result[school_leaders(school_id)]
    for school_id, user_id, role in (
        _limit(SchoolRole.objects.current(today), "school_id", school_ids)
        .filter(user__is_active=True)
        .values_list("school_id", "user_id", "role")
    ):
        result[school_staff(school_id)].add(user_id)
        if role in (SchoolRole.Role.REKTOR, SchoolRole.Role.ADMIN):
            result[school_leaders(school_id)].add(user_id)
    for school_id, staff_id in _limit(assignments, "group__school_id", school_ids).values_list(
        "group__school_id", "staff_id"
    ):
        result[school_staff(school_id)].add(staff_id)
    return result


# Grants ---------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    audience: str
    permission: str  # "app_label.codename"
    model: type[models.Model]
    object_id: int


@dataclass
class GrantProvider:
    """Derives the grants for one protected model.

    ``derive(scope)`` yields the grants that should exist for the objects in
    scope; ``objects_in(scope)`` returns the ids of the objects whose grants
    that covers, so stale grants on them can be removed.
    """

    model: type[models.Model]
    derive: Callable[[Scope], Iterable[Grant]]
    objects_in: Callable[[Scope], Iterable[int]]
    permissions: list[str] = field(default_factory=list)


_providers: list[GrantProvider] = []


def register_grants(provider: GrantProvider) -> None:
    _providers.append(provider)


def providers() -> list[GrantProvider]:
    return list(_providers)


def _group_grants(scope: Scope):
    for group_id, school_id in _limit(PupilGroup.objects, "id", scope.groups).values_list("id", "school_id"):
        for name in (group_teachers(group_id), school_leaders(school_id)):
            yield Grant(name, "accounts.view_pupilgroup", PupilGroup, group_id)
            yield Grant(name, "accounts.view_roster", PupilGroup, group_id)
        yield Grant(group_pupils(group_id), "accounts.view_pupilgroup", PupilGroup, group_id)


def _pupil_grants(scope: Scope):
    known = _limit(Enrolment.objects, "pupil_id", scope.pupils).values_list("pupil_id", flat=True).distinct()
    for pupil_id in known:
        yield Grant(pupil_staff(pupil_id), "accounts.view_user", User, pupil_id)


def _school_grants(scope: Scope):
    for school_id in _limit(School.objects, "id", scope.schools).values_list("id", flat=True):
        yield Grant(school_staff(school_id), "accounts.view_school", School, school_id)
        yield Grant(school_leaders(school_id), "accounts.change_school", School, school_id)


register_grants(
    GrantProvider(
        PupilGroup,
        _group_grants,
        lambda scope: _limit(PupilGroup.objects, "id", scope.groups).values_list("id", flat=True),
        ["accounts.view_pupilgroup", "accounts.view_roster"],
    )
)
register_grants(
    GrantProvider(
        User,
        _pupil_grants,
        # Every pupil in scope, enrolled or not: a pupil whose last enrolment
        # was deleted must lose what the enrolment gave.
        lambda scope: (
            scope.pupils
            if scope.pupils is not None
            else Enrolment.objects.values_list("pupil_id", flat=True).distinct()
        ),
        ["accounts.view_user"],
    )
)
register_grants(
    GrantProvider(
        School,
        _school_grants,
        lambda scope: _limit(School.objects, "id", scope.schools).values_list("id", flat=True),
        ["accounts.view_school", "accounts.change_school"],
    )
)


# Applying and checking ------------------------------------------------------


@dataclass
class Drift:
    missing_members: set[tuple[str, int]] = field(default_factory=set)
    extra_members: set[tuple[str, int]] = field(default_factory=set)
    missing_grants: set[Grant] = field(default_factory=set)
    extra_grants: set[Grant] = field(default_factory=set)

    def __bool__(self):
        return bool(self.missing_members or self.extra_members or self.missing_grants or self.extra_grants)

    def summary(self) -> dict[str, int]:
        return {
            "missing_members": len(self.missing_members),
            "extra_members": len(self.extra_members),
            "missing_grants": len(self.missing_grants),
            "extra_grants": len(self.extra_grants),
        }


_Membership = User.groups.through


BATCH = 2000


def _batches(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _audience_ids(names: set[str] | None) -> dict[int, str]:
    """Audience group id → name; the names are shared by every row that mentions them."""
    if names is None or len(names) > 10 * BATCH:
        # One prefix query beats many IN lists when most audiences are wanted.
        found = dict(AuthGroup.objects.filter(name__startswith=PREFIX).values_list("id", "name"))
        return found if names is None else {group_id: name for group_id, name in found.items() if name in names}
    found = {}
    for batch in _batches(names):
        found.update(AuthGroup.objects.filter(name__in=batch).values_list("id", "name"))
    return found


def _stored_memberships(name_of: dict[int, str], everything: bool) -> set[tuple[str, int]]:
    if everything:
        rows = _Membership.objects.filter(group__name__startswith=PREFIX).values_list("group_id", "user_id")
        return {(name_of[group_id], user_id) for group_id, user_id in rows.iterator(chunk_size=20_000)}
    stored = set()
    for batch in _batches(name_of):
        for group_id, user_id in _Membership.objects.filter(group_id__in=batch).values_list("group_id", "user_id"):
            stored.add((name_of[group_id], user_id))
    return stored


@functools.cache
def _permission_models(model):
    """Guardian's direct foreign-key permission model for ``model`` (looked up once: a
    first import asks for each of 90,000 grants)."""
    from guardian.utils import get_group_obj_perms_model

    return get_group_obj_perms_model(model)


def _stored_grants(provider: GrantProvider, object_ids, name_of: dict[int, str]) -> set[Grant]:
    perm_model = _permission_models(provider.model)
    label = provider.model._meta.app_label
    permission_names = {
        permission_id: f"{label}.{codename}"
        for permission_id, codename in Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(provider.model),
            codename__in=[perm.split(".", 1)[1] for perm in provider.permissions],
        ).values_list("id", "codename")
    }
    rows = perm_model.objects.filter(permission_id__in=list(permission_names))
    batches = [None] if object_ids is None else list(_batches(object_ids))
    grants = set()
    for batch in batches:
        selected = rows if batch is None else rows.filter(content_object_id__in=batch)
        triples = list(selected.values_list("group_id", "permission_id", "content_object_id"))
        unknown = {group_id for group_id, _, _ in triples} - name_of.keys()
        if unknown:  # groups outside the audiences read so far (or not audiences at all)
            name_of.update(AuthGroup.objects.filter(id__in=unknown).values_list("id", "name"))
        grants.update(
            Grant(name_of[group_id], permission_names[permission_id], provider.model, object_id)
            for group_id, permission_id, object_id in triples
        )
    return grants


def compute_drift(scope: Scope | None = None) -> Drift:
    scope = scope or Scope.everything()
    drift = Drift()
    expected = derive_memberships(scope)
    expected_pairs = {(name, user_id) for name, users in expected.items() for user_id in users}
    everything = scope.is_everything()
    name_of = _audience_ids(None if everything else set(expected))
    stored = _stored_memberships(name_of, everything)
    drift.missing_members = expected_pairs - stored
    drift.extra_members = stored - expected_pairs
    del expected_pairs, stored
    for provider in _providers:
        wanted = set(provider.derive(scope))
        object_ids = None if everything else set(provider.objects_in(scope))
        have = _stored_grants(provider, object_ids, name_of)
        drift.missing_grants |= wanted - have
        drift.extra_grants |= have - wanted
    return drift


def _permission_lookup(grants: Iterable[Grant]) -> dict[str, Permission]:
    lookup = {}
    for grant in grants:
        if grant.permission not in lookup:
            app_label, codename = grant.permission.split(".", 1)
            ct = ContentType.objects.get_for_model(grant.model)
            lookup[grant.permission] = Permission.objects.get(content_type=ct, codename=codename)
    return lookup


def _being_deleted() -> set[tuple[type, int]]:
    if not hasattr(_state, "deleting"):
        _state.deleting = set()
    return _state.deleting


def mark_deleting(instance) -> None:
    """A cascade is under way: its rows still exist until the end, so grants and
    memberships derived for them now would point at rows about to disappear."""
    _being_deleted().add((type(instance), instance.pk))


def unmark_deleting(instance) -> None:
    _being_deleted().discard((type(instance), instance.pk))


def _delete_rows(model, columns: tuple[str, ...], keys: list[tuple[int, ...]]) -> None:
    """Delete derived rows by their key columns, a batch per statement.

    A row-value ``IN (VALUES ...)`` lets PostgreSQL join on the unique index;
    the same pairs as a long OR of conditions took seconds per batch. Derived
    rows carry no personal data, so they bypass the ORM's per-row delete.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(column) for column in columns)
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for batch in _batches(keys, 500):
            values = ", ".join([row] * len(batch))
            params = [value for key in batch for value in key]
            cursor.execute(f"DELETE FROM {table} WHERE ({column_list}) IN (VALUES {values})", params)  # noqa: S608


# Above this many new rows, PostgreSQL gets them by COPY (a first import writes
# over a million memberships; model instances and UNNEST arrays cost more than the insert).
COPY_THRESHOLD = 10_000
# Above this many, and more than the table holds, the table's indexes and foreign keys are
# dropped for the load and re-created after it (``unikum.bulkload``): a first import.
BULK_LOAD_THRESHOLD = 50_000


def _unique_columns(model, columns):
    """``columns`` in the order of the table's unique constraint: rows sorted that way
    reach the index pages in order (12 s instead of 19 s for a million memberships)."""
    for names in model._meta.unique_together:
        unique = [model._meta.get_field(name).column for name in names]
        if set(unique) == set(columns):
            return unique
    return list(columns)


def _insert_rows(model, columns: tuple[str, ...], rows: list[tuple[int, ...]]) -> None:
    """Insert derived rows, skipping any that exist already (another transaction may
    have made the same membership)."""
    if connection.vendor != "postgresql" or len(rows) < COPY_THRESHOLD:
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=BATCH, ignore_conflicts=True
        )
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(column) for column in columns)
    order = ", ".join(quote(column) for column in _unique_columns(model, columns))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE audience_new_rows ("
            + ", ".join(f"{quote(column)} bigint" for column in columns)
            + ") ON COMMIT DROP"
        )
        with cursor.cursor.copy(f"COPY audience_new_rows ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        first_load = False
        if len(rows) >= BULK_LOAD_THRESHOLD:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            first_load = cursor.fetchone()[0] < len(rows)
        with bulkload.without_indexes(model) if first_load else contextlib.nullcontext(False) as unindexed:
            if unindexed:  # no unique index to skip existing rows: an anti-join does
                match = " AND ".join(f"stored.{quote(column)} = incoming.{quote(column)}" for column in columns)
                cursor.execute(
                    f"INSERT INTO {table} ({column_list}) SELECT DISTINCT {column_list} FROM audience_new_rows incoming"  # noqa: S608
                    f" WHERE NOT EXISTS (SELECT FROM {table} stored WHERE {match}) ORDER BY {order}"
                )
            else:
                cursor.execute(
                    f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM audience_new_rows"  # noqa: S608
                    f" ORDER BY {order} ON CONFLICT DO NOTHING"
                )
        cursor.execute("DROP TABLE audience_new_rows")


@transaction.atomic
def sync(scope: Scope | None = None) -> Drift:
    """Bring stored audience memberships and grants in line with the derivation.

    Returns the drift that was repaired. Derived rows are written in bulk: they
    carry no personal data of their own, and the memberships they derive from
    are audited.
    """
    drift = compute_drift(scope)
    deleting = _being_deleted()
    if deleting:
        drift.missing_members = {pair for pair in drift.missing_members if (User, pair[1]) not in deleting}
        drift.missing_grants = {g for g in drift.missing_grants if (g.model, g.object_id) not in deleting}
    if not drift:
        return drift
    names = {name for name, _ in drift.missing_members | drift.extra_members}
    names |= {grant.audience for grant in drift.missing_grants | drift.extra_grants}
    group_ids = {name: group_id for group_id, name in _audience_ids(names).items()}
    missing_groups = [AuthGroup(name=name) for name in names - group_ids.keys()]
    AuthGroup.objects.bulk_create(missing_groups, batch_size=BATCH, ignore_conflicts=True)
    if missing_groups:
        group_ids.update({name: group_id for group_id, name in _audience_ids(names - group_ids.keys()).items()})

    _delete_rows(
        _Membership, ("group_id", "user_id"), [(group_ids[name], user_id) for name, user_id in drift.extra_members]
    )
    _insert_rows(
        _Membership, ("group_id", "user_id"), [(group_ids[name], user_id) for name, user_id in drift.missing_members]
    )

    permissions = _permission_lookup(drift.missing_grants | drift.extra_grants)
    extra_by_model = defaultdict(list)
    for grant in drift.extra_grants:
        extra_by_model[_permission_models(grant.model)].append(grant)
    for perm_model, grants in extra_by_model.items():
        _delete_rows(
            perm_model,
            ("group_id", "permission_id", "content_object_id"),
            [(group_ids[grant.audience], permissions[grant.permission].pk, grant.object_id) for grant in grants],
        )
    by_model = defaultdict(list)
    for grant in drift.missing_grants:
        by_model[_permission_models(grant.model)].append(
            (group_ids[grant.audience], permissions[grant.permission].pk, grant.object_id)
        )
    for perm_model, rows in by_model.items():
        _insert_rows(perm_model, ("group_id", "permission_id", "content_object_id"), rows)
    return drift


_state = threading.local()


def follow(scope: Scope) -> None:
    """Called for every membership change: sync now, or once at the end of ``deferred()``."""
    pending = getattr(_state, "pending", None)
    if pending is not None:
        _state.pending = pending | scope
    else:
        sync(scope)


@contextlib.contextmanager
def deferred():
    """Collect membership changes and sync them once at the end.

    For bulk work (imports, demo data) where syncing after every row would
    repeat the same derivation thousands of times. Use inside the same
    transaction as the changes, so nobody sees the gap.
    """
    if getattr(_state, "pending", None) is not None:
        yield  # already deferred by an outer block
        return
    _state.pending = Scope.empty()
    try:
        yield
        scope = _state.pending
    finally:
        _state.pending = None
    sync(scope)


def scope_for_user(user: User) -> Scope:
    """Every audience a change to this person (activation, removal) can touch."""
    group_ids = set(user.enrolments.values_list("group_id", flat=True))
    staffed_groups = set(user.staff_assignments.values_list("group_id", flat=True))
    ward_ids = set(user.guardianships.values_list("pupil_id", flat=True))
    school_ids = set(user.school_roles.values_list("school_id", flat=True))
    ward_groups = set(Enrolment.objects.filter(pupil_id__in=ward_ids).values_list("group_id", flat=True))
    pupils_met = set(Enrolment.objects.filter(group_id__in=staffed_groups).values_list("pupil_id", flat=True)) | set(
        Enrolment.objects.filter(group__school_id__in=school_ids).values_list("pupil_id", flat=True)
    )
    school_ids |= set(PupilGroup.objects.filter(id__in=staffed_groups).values_list("school_id", flat=True))
    return Scope(
        groups=group_ids | staffed_groups | ward_groups,
        pupils={user.pk} | ward_ids | pupils_met,
        schools=school_ids,
    )

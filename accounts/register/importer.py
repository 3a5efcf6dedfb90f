"""Bring the database in line with a register delivery.

The existing state is loaded in a few queries into dicts keyed by the
register's ids, the delivery is compared in memory, and only what differs is
written. Creations and updates are written in bulk, so the audit log entries
that signals would have written are written here explicitly (the architecture's
rule for bulk paths), and the audiences the changed rows feed are collected and
synced once, in the same transaction, by ``accounts.audiences.deferred()``.

The import owns only what came from a register: people with a register id,
and memberships between imported people and imported groups or schools. It
never deletes: people who leave are deactivated, memberships that end get an
end date, and administrators' own roles are never touched.
"""

import datetime
import functools
import json
import re
import secrets
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts import audiences
from accounts import personnummer as pnr
from accounts.audiences import Scope
from accounts.models import (
    Enrolment,
    Guardianship,
    Organiser,
    PersonnummerField,
    PupilGroup,
    School,
    SchoolRole,
    StaffAssignment,
    User,
)

from .records import Notice, RegisterData

BATCH = 2000
MAX_NOTES = 10_000  # readable change lines kept; the counts cover the rest
# Beyond this many pupils in the changed scope, recomputing every audience is
# cheaper than a scoped sync with huge id lists.
SCOPE_LIMIT = 20_000
OWNED_SCHOOL_ROLES = (SchoolRole.Role.TEACHER, SchoolRole.Role.REKTOR)
USER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "personnummer",
    "birth_date",
    "legal_gender",
    "protected_identity",
    "is_active",
)
PNR = USER_FIELDS.index("personnummer") + 3  # in a stored row (id, register_id, preferred_name, *USER_FIELDS)
TEMPORARY_NUMBER = re.compile(r"^\d{6,8}[-+]?[A-Za-z]{1,2}\d{1,3}$")
# What a membership's key names, for "refers to unknown ..." (the ids' field names, without "_id").
KEY_PARTS = {
    "pupil": gettext_lazy("pupil"),
    "group": gettext_lazy("group"),
    "guardian": gettext_lazy("guardian"),
    "user": gettext_lazy("person"),
    "school": gettext_lazy("school"),
    "staff": gettext_lazy("staff member"),
}

Progress = Callable[[str, int, int], None]


@dataclass
class Result:
    counts: Counter = field(default_factory=Counter)
    warnings: list[Notice] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # readable lines, for dry runs and the admin page

    omitted: int = 0

    def note(self, line: str) -> None:
        if len(self.changes) < MAX_NOTES:
            self.changes.append(line)
        else:
            self.omitted += 1

    def note_lazily(self, make: Callable[[], str]) -> None:
        """``note`` for hot loops: the line is only formatted while lines are kept."""
        if len(self.changes) < MAX_NOTES:
            self.changes.append(make())
        else:
            self.omitted += 1


_SPECS = {}


def _creation_spec(model):
    """How auditlog's ``model_instance_diff(None, obj)`` reads each column of a new row,
    precomputed once per model: the same entries at a fraction of the cost."""
    if model not in _SPECS:
        fields = auditlog.get_model_fields(model)
        if fields["mask_fields"]:
            _SPECS[model] = None
            return None
        spec = []
        for field in model._meta.concrete_fields:
            if fields["include_fields"] and field.name not in fields["include_fields"]:
                continue
            if field.name in fields["exclude_fields"]:
                continue
            # For a new row auditlog's old value is always "None". (It also lists reverse
            # relations, with placeholder values; those carry nothing and are left out.)
            old = "None"
            if isinstance(field, models.DateTimeField):
                kind = "datetime"
            elif isinstance(field, models.JSONField):
                kind = "json"
            else:
                kind = "plain"
            spec.append((field.name, field.attname, kind, old))
        _SPECS[model] = spec
    return _SPECS[model]


_PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DateTimeField,
    models.EmailField,
    PersonnummerField,  # the importer stores it normalised already
    models.ForeignKey,
    models.IntegerField,
    models.BigIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.TextField,
    models.UUIDField,
)
_COPY = {}


def _copy_columns(model):
    """The columns ``COPY`` writes for a model, with whether the attribute value can be
    sent as it is (psycopg adapts it as the ORM would); None: use ``bulk_create``."""
    if connection.vendor != "postgresql":
        return None
    if model not in _COPY:
        columns = []
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            if isinstance(f, (models.JSONField, models.BinaryField)) or f.get_internal_type() == "ArrayField":
                columns = None
                break
            automatic = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            plain = type(f) in _PLAIN_FIELDS and not automatic
            columns.append((f, plain))
        _COPY[model] = columns
    return _COPY[model]


def _text(value) -> str:
    """``smart_str`` for the values model fields hold, without its overhead for the common ones."""
    if value is None or type(value) in (int, bool, datetime.date, datetime.datetime):
        return str(value)
    return smart_str(value)


def _known_number(number: str) -> pnr.Personnummer | None:
    """A personnummer as it is stored (twelve digits, validated when it was stored),
    read without validating it again; None if it does not read as one."""
    try:
        day = int(number[6:8])
        birth_date = datetime.date(int(number[:4]), int(number[4:6]), day - 60 if day > 60 else day)
    except ValueError:
        return None
    if len(number) != 12 or not number.isdigit():
        return None
    return pnr.Personnummer(number, birth_date, day > 60)


def masked(number: str) -> str:
    """Enough of a personnummer to find it in the source, not enough to use it."""
    text = (number or "").strip()
    return f"{text[:-4]}****" if len(text) > 4 else "****"


def username_base(first_name: str, last_name: str) -> str:
    def fold(text):
        text = unicodedata.normalize("NFKD", text.casefold())
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        return re.sub(r"[^a-z0-9]+", "", text)[:30]

    parts = [part for part in (fold(first_name.split()[0] if first_name.split() else ""), fold(last_name)) if part]
    return ".".join(parts) or "person"


@functools.cache
def _field_label(model, name, language):
    """A field's name as change lines show it: its verbose name (a relation's: the related
    model's), in ``language``, the active one, which is part of the key only for the cache."""
    field = model._meta.get_field(name)
    return str(field.related_model._meta.verbose_name if field.is_relation else field.verbose_name)


def _field_labels(model, names):
    language = get_language()
    return ", ".join(_field_label(model, name, language) for name in names)


@functools.cache
def _person_change_texts(language):
    """The words of a "~ person" line in ``language``, translated once rather than per person."""
    return _("~ person %(name)s (%(id)s): %(changes)s"), _("reactivated"), _("deactivated")


def _where(person):
    return person.where or _("person %(id)s") % {"id": person.register_id}


def _clip(value, model, name):
    value = (value or "").strip()
    return value[: model._meta.get_field(name).max_length]


class Importer:
    """One application of one delivery. Use ``apply()``."""

    def __init__(self, data: RegisterData, actor: User | None = None, progress: Progress | None = None):
        self.data = data
        self.actor = actor
        self.progress = progress or (lambda stage, done, total: None)
        self.result = Result(warnings=list(data.warnings))
        self.today = timezone.localdate()
        self.yesterday = self.today - datetime.timedelta(days=1)
        self.cid = get_cid()
        try:
            self.remote_addr = auditlog_value.get().get("remote_addr")
        except LookupError:
            self.remote_addr = None
        # What changed, for the audiences.
        self.touched = defaultdict(set)
        self._suffixes = {}

    # Reporting ---------------------------------------------------------------

    def warn(self, where, message):
        self.result.warnings.append(Notice(where, message))

    def count(self, key, n=1):
        if n:
            self.result.counts[key] += n

    # Audit -------------------------------------------------------------------

    def _log(self, model, action, pairs, fields=None):
        """Write the entries auditlog's signals would have written for these rows."""
        content_type_id = ContentType.objects.get_for_model(model).pk
        rows = []
        for old, new in pairs:
            changes = model_instance_diff(old, new, fields_to_check=fields)
            if changes:
                rows.append((content_type_id, new.pk, smart_str(new), action, changes))
            if len(rows) == BATCH:
                self._write_log_rows(rows)
                rows = []
        self._write_log_rows(rows)

    def _create(self, model, objects):
        if objects and _copy_columns(model) is not None:
            created = self._copy_insert(model, objects)
        else:
            created = model.objects.bulk_create(objects, batch_size=BATCH)
        for obj in created:
            self._prime_repr(obj)
        spec = _creation_spec(model)
        if spec is None:  # masked fields: let auditlog compute the entries
            self._log(model, LogEntry.Action.CREATE, [(None, obj) for obj in created])
            return created
        content_type_id = ContentType.objects.get_for_model(model).pk
        rows = []
        for obj in created:
            if len(rows) == BATCH:  # written as we go: 200,000 entries would not fit in memory
                self._write_log_rows(rows)
                rows = []
            changes = {}
            for name, attname, kind, old in spec:
                value = getattr(obj, attname)
                if kind == "datetime" and value is not None:
                    value = timezone.make_naive(value, datetime.UTC) if timezone.is_aware(value) else value
                elif kind == "json":
                    value = json.dumps(value, sort_keys=True)
                new = value if type(value) is str else _text(value)
                if new != old:
                    changes[name] = [old, new]
            rows.append((content_type_id, obj.pk, smart_str(obj), LogEntry.Action.CREATE, changes))
        self._write_log_rows(rows)
        return created

    def _copy_insert(self, model, objects):
        """``bulk_create`` for PostgreSQL by ``COPY``: primary keys are reserved from the
        table's sequence first, so the rows come back with their ids as from ``bulk_create``,
        without quoting every value into ``UNNEST`` arrays."""
        columns = _copy_columns(model)
        table = model._meta.db_table
        pk = model._meta.pk
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(objects)],
            )
            ids = sorted(row[0] for row in cursor.fetchall())
            quote = connection.ops.quote_name
            names = ", ".join(quote(column) for column in (pk.column, *(f.column for f, _ in columns)))
            alias = connection.alias
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for obj, pk_value in zip(objects, ids, strict=True):
                    obj.pk = pk_value
                    row = [pk_value]
                    for f, plain in columns:
                        if plain:
                            row.append(getattr(obj, f.attname))
                        else:
                            row.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
                    copy.write_row(row)
                    obj._state.adding = False
                    obj._state.db = alias
        return objects

    def _write_log_rows(self, rows):
        """Audit entries from (content type id, pk, repr, action, changes): by ``COPY`` on
        PostgreSQL, by ``bulk_create`` elsewhere. The same rows auditlog would write."""
        if not rows:
            return
        actor_id = getattr(self.actor, "pk", None)
        actor_email = getattr(self.actor, "email", None)
        now = timezone.now()
        if connection.vendor != "postgresql":
            LogEntry.objects.bulk_create(
                [
                    LogEntry(
                        content_type_id=content_type_id,
                        object_pk=str(pk),
                        object_id=pk,
                        object_repr=text,
                        action=action,
                        changes=changes,
                        actor_id=actor_id,
                        actor_email=actor_email,
                        cid=self.cid,
                        remote_addr=self.remote_addr,
                        timestamp=now,
                    )
                    for content_type_id, pk, text, action, changes in rows
                ],
                batch_size=BATCH,
            )
            return
        columns = (
            "content_type_id, object_pk, object_id, object_repr, action, changes_text, changes,"
            " actor_id, cid, remote_addr, timestamp, actor_email"
        )
        sql = f"COPY {LogEntry._meta.db_table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for content_type_id, pk, text, action, changes in rows:
                copy.write_row(
                    (
                        content_type_id,
                        str(pk),
                        pk,
                        text,
                        action,
                        "",
                        json.dumps(changes),
                        actor_id,
                        self.cid,
                        self.remote_addr,
                        now,
                        actor_email,
                    )
                )

    def _update(self, model, pairs, fields):
        """``pairs`` of (old, new) instances with the same pk; writes ``fields``."""
        if not pairs:
            return
        model.objects.bulk_update([new for _, new in pairs], fields, batch_size=BATCH)
        self._log(model, LogEntry.Action.UPDATE, pairs, fields=fields)

    # The run -----------------------------------------------------------------

    def apply(self) -> Result:
        """Write the delivery. Call inside ``transaction.atomic()`` and ``audiences.deferred()``."""
        self._organisers()
        self._schools()
        self._groups()
        self._people()
        self._memberships()
        self._prepare_audiences()
        audiences.follow(self._scope())
        return self.result

    def _prepare_audiences(self):
        """Create the audience groups new rows need in one statement: the sync
        would otherwise create them one by one (hundreds of thousands on a first import)."""
        names = set()
        for group_id in self.touched["new_groups"]:
            names |= {audiences.group_teachers(group_id), audiences.group_pupils(group_id)}
            names.add(audiences.group_guardians(group_id))
        for pupil_id in self.touched["pupils"]:
            names |= {audiences.pupil_circle(pupil_id), audiences.pupil_guardians(pupil_id)}
            names |= {audiences.pupil_staff(pupil_id), audiences.pupil_mentors(pupil_id)}
        for school_id in self.touched["new_schools"]:
            names |= {audiences.school_staff(school_id), audiences.school_leaders(school_id)}
        if not names:
            return
        if connection.vendor != "postgresql":
            AuthGroup.objects.bulk_create(
                [AuthGroup(name=name) for name in sorted(names)], batch_size=BATCH, ignore_conflicts=True
            )
            return
        # COPY into a scratch table, then insert what is not there yet (a group may exist already).
        table = AuthGroup._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE register_audience_names (name text) ON COMMIT DROP")
            with cursor.cursor.copy("COPY register_audience_names (name) FROM STDIN") as copy:
                for name in sorted(names):
                    copy.write_row((name,))
            cursor.execute(
                f"INSERT INTO {table} (name) SELECT name FROM register_audience_names ORDER BY name"  # noqa: S608
                " ON CONFLICT (name) DO NOTHING"
            )
            cursor.execute("DROP TABLE register_audience_names")

    # Organisation ------------------------------------------------------------

    def _organisers(self):
        existing = {org.external_id: org for org in Organiser.objects.exclude(external_id=None)}
        creates, updates = [], []
        for ext, record in self.data.organisers.items():
            wanted = {
                "name": _clip(record.name, Organiser, "name") or ext,
                "organisation_number": _clip(record.organisation_number, Organiser, "organisation_number"),
            }
            current = existing.get(ext)
            if current is None:
                creates.append(Organiser(external_id=ext, **wanted))
                self.result.note(_("+ organiser %(name)s") % {"name": wanted["name"]})
            else:
                changed = [name for name, value in wanted.items() if getattr(current, name) != value]
                if changed:
                    new = Organiser(pk=current.pk, external_id=ext, **wanted)
                    updates.append((current, new))
                    self.result.note(
                        _("~ organiser %(name)s: %(fields)s")
                        % {"name": wanted["name"], "fields": _field_labels(Organiser, changed)}
                    )
        for obj in self._create(Organiser, creates):
            existing[obj.external_id] = obj
        self._update(Organiser, updates, ["name", "organisation_number"])
        for _current, new in updates:
            existing[new.external_id] = new
        self.count("organisers.created", len(creates))
        self.count("organisers.updated", len(updates))
        self.organisers = existing

    def _schools(self):
        existing = {school.external_id: school for school in School.objects.exclude(external_id=None)}
        # Schools an administrator made before the register knew them: matched on the school unit code.
        unclaimed = {
            s.school_unit_code: s for s in School.objects.filter(external_id=None).exclude(school_unit_code="")
        }
        all_organisers = list(Organiser.objects.values_list("id", flat=True)[:2])
        creates, updates = [], []
        for ext, record in self.data.schools.items():
            current = existing.get(ext)
            if current is None and record.school_unit_code in unclaimed:
                current = unclaimed.pop(record.school_unit_code)
                self.result.note(
                    _("= linked existing school %(name)s to register id %(id)s") % {"name": current.name, "id": ext}
                )
            organiser = self.organisers.get(record.organiser_id) if record.organiser_id else None
            if organiser is not None:
                organiser_id = organiser.pk
            elif current is not None:
                organiser_id = current.organiser_id
            elif len(all_organisers) == 1:
                organiser_id = all_organisers[0]
            else:
                self.warn(
                    _("school %(id)s") % {"id": ext}, _("no organiser (huvudman) found for the school; school skipped")
                )
                continue
            wanted = {
                # A source that does not name the school or its forms keeps what is there.
                "name": _clip(record.name, School, "name") or getattr(current, "name", record.school_unit_code or ext),
                "school_unit_code": _clip(record.school_unit_code, School, "school_unit_code"),
                "school_forms": list(record.school_forms or getattr(current, "school_forms", [])),
                "organiser_id": organiser_id,
            }
            if current is not None and current.external_id != ext:
                wanted["external_id"] = ext
            if current is None:
                creates.append(School(external_id=ext, **wanted))
                self.result.note(_("+ school %(name)s") % {"name": wanted["name"]})
            else:
                changed = [name for name, value in wanted.items() if getattr(current, name) != value]
                if changed:
                    wanted.pop("external_id", None)
                    updates.append((current, School(pk=current.pk, external_id=ext, **wanted)))
                    self.result.note(
                        _("~ school %(name)s: %(fields)s")
                        % {"name": wanted["name"], "fields": _field_labels(School, changed)}
                    )
        for obj in self._create(School, creates):
            existing[obj.external_id] = obj
            self.touched["schools"].add(obj.pk)
            self.touched["new_schools"].add(obj.pk)
        self._update(School, updates, ["name", "school_unit_code", "school_forms", "organiser", "external_id"])
        for _current, new in updates:
            existing[new.external_id] = new
            self.touched["schools"].add(new.pk)
        self.count("schools.created", len(creates))
        self.count("schools.updated", len(updates))
        self.schools = existing

    def _groups(self):
        existing = {group.external_id: group for group in PupilGroup.objects.exclude(external_id=None)}
        creates, updates = [], []
        fields = ["school", "name", "kind", "school_form", "school_year", "year_level"]
        for ext, record in self.data.groups.items():
            school = self.schools.get(record.school_id)
            if school is None:
                self.warn(
                    _("group %(name)s (%(id)s)") % {"name": record.name, "id": ext},
                    _("unknown school %(id)s; group skipped") % {"id": record.school_id},
                )
                continue
            wanted = {
                "school_id": school.pk,
                "name": _clip(record.name, PupilGroup, "name") or ext,
                "kind": record.kind,
                "school_form": record.school_form,
                "school_year": record.school_year,
                "year_level": record.year_level,
            }
            current = existing.get(ext)
            if current is None:
                creates.append(PupilGroup(external_id=ext, **wanted))
                self.result.note(_("+ group %(name)s (%(school)s)") % {"name": wanted["name"], "school": school.name})
            else:
                changed = [name for name, value in wanted.items() if getattr(current, name) != value]
                if changed:
                    new = PupilGroup(pk=current.pk, code=current.code, external_id=ext, **wanted)
                    updates.append((current, new))
                    self.result.note(
                        _("~ group %(name)s: %(fields)s")
                        % {"name": wanted["name"], "fields": _field_labels(PupilGroup, changed)}
                    )
        for obj in self._create(PupilGroup, creates):
            existing[obj.external_id] = obj
            self.touched["groups"].add(obj.pk)
            self.touched["new_groups"].add(obj.pk)
            self.touched["schools"].add(obj.school_id)
        self._update(PupilGroup, updates, fields)
        for old, new in updates:
            existing[new.external_id] = new
            self.touched["groups"].add(new.pk)
            self.touched["schools"] |= {old.school_id, new.school_id}
        self.count("groups.created", len(creates))
        self.count("groups.updated", len(updates))
        self.groups = existing

    # People ------------------------------------------------------------------

    def _people(self):
        columns = ("id", "register_id", "preferred_name", *USER_FIELDS)
        state = {row[1]: row for row in User.objects.exclude(register_id=None).values_list(*columns)}
        owners = {row[PNR]: rid for rid, row in state.items() if row[PNR] is not None}
        owners.update(
            User.objects.filter(register_id=None).exclude(personnummer=None).values_list("personnummer", "register_id")
        )
        owner_ids = {}  # personnummer → id of an account without register id, for linking
        claimed: dict[str, str] = {}
        wanted_by_rid = {}
        persons = self.data.persons
        total = len(persons)
        for done, (rid, person) in enumerate(persons.items(), 1):
            if done % 5000 == 0:
                self.progress("people", done, total)
            wanted_by_rid[rid] = self._wanted_user(person, state.get(rid), owners, claimed)
        self.progress("people", total, total)

        # Accounts made by hand before the register knew the person: link them.
        link_numbers = {
            wanted["personnummer"] for rid, wanted in wanted_by_rid.items() if rid not in state and wanted.get("_link")
        }
        if link_numbers:
            for row in User.objects.filter(personnummer__in=link_numbers, register_id=None).values_list(*columns):
                owner_ids[row[USER_FIELDS.index("personnummer") + 3]] = row

        taken = None  # every username in use, read when the first account is created
        creates, updates = [], []
        linked_line = _("= linked existing account %(account)s to register id %(id)s")
        created_line = _("+ person %(name)s (%(id)s)")
        for rid, wanted in wanted_by_rid.items():
            link = wanted.pop("_link", False)
            row = state.get(rid)
            if row is None and link:
                row = owner_ids.get(wanted["personnummer"])
                if row is not None:
                    self.result.note(linked_line % {"account": row[0], "id": rid})
                    self.count("people.linked")
            if row is None:
                # Unusable, as set_unusable_password() makes it, with one call for randomness instead of forty.
                password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
                if taken is None:
                    taken = {name.casefold() for name in User.objects.values_list("username", flat=True)}
                user = User(register_id=rid, username=self._username(wanted, taken), password=password, **wanted)
                creates.append(user)
                self.result.note_lazily(
                    lambda user=user: created_line % {"name": user.display_name, "id": user.register_id}
                )
                continue
            if row[1] == rid and row[3:] == tuple(wanted[name] for name in USER_FIELDS):
                continue  # unchanged: the common case
            current = dict(zip(("id", "register_id", "preferred_name", *USER_FIELDS), row, strict=True))
            changed = [name for name in USER_FIELDS if current[name] != wanted[name]]
            if current["register_id"] != rid:
                changed.append("register_id")
            if not changed:
                continue
            old = User(pk=current["id"], **{k: v for k, v in current.items() if k != "id"})
            new = User(pk=current["id"], register_id=rid, preferred_name=current["preferred_name"], **wanted)
            updates.append((old, new, changed))
            self._describe_user_change(new, current, wanted, changed)

        # People the register no longer has.
        gone = set(state) - set(persons) if self.data.complete else self.data.deleted_persons & set(state)
        deactivated_line = _("- deactivate %(name)s (%(id)s)")
        for rid in sorted(gone):
            current = dict(zip(("id", "register_id", "preferred_name", *USER_FIELDS), state[rid], strict=True))
            if not current["is_active"]:
                continue
            old = User(pk=current["id"], **{k: v for k, v in current.items() if k != "id"})
            new = User(pk=current["id"], **{**{k: v for k, v in current.items() if k != "id"}, "is_active": False})
            updates.append((old, new, ["is_active"]))
            self.result.note(deactivated_line % {"name": new.display_name, "id": rid})
            self.count("people.deactivated")

        self.progress("writing people", 0, len(creates) + len(updates))
        created = self._create(User, creates)
        by_fields = defaultdict(list)
        for old, new, changed in updates:
            by_fields[tuple(sorted(changed))].append((old, new))
            if "is_active" in changed:
                self.touched["activation"].add(new.pk)
        for changed, pairs in by_fields.items():
            self._update(User, pairs, list(changed))
        self.progress("writing people", len(creates) + len(updates), len(creates) + len(updates))
        self.count("people.created", len(created))
        self.count("people.updated", sum(1 for _, _, c in updates if c != ["is_active"]))

        self.user_ids = {rid: row[0] for rid, row in state.items()}
        self.user_ids.update({new.register_id: new.pk for _, new, _ in updates})
        self.user_ids.update({user.register_id: user.pk for user in created})
        self.user_names = {row[0]: f"{row[2] or row[3]} {row[4]}".strip() for row in state.values()}
        self.user_names.update({user.pk: user.display_name for user in created})
        self.user_names.update({new.pk: new.display_name for _, new, _ in updates})

    def _wanted_user(self, person, row, owners, claimed):
        wanted = {
            "first_name": _clip(person.first_name, User, "first_name"),
            "last_name": _clip(person.last_name, User, "last_name"),
            "email": _clip(person.email, User, "email"),
            "personnummer": None,
            "birth_date": person.birth_date,
            "legal_gender": person.legal_gender,
            "protected_identity": person.protected,
            "is_active": person.active,
        }
        if person.protected is None:
            # The source is silent: keep what we know (a new account starts unprotected).
            wanted["protected_identity"] = row[USER_FIELDS.index("protected_identity") + 3] if row else False
        number = (person.civic_no or "").strip()
        if number:
            parsed = None
            if TEMPORARY_NUMBER.match(number):
                self.warn(
                    _where(person), _("temporary personnummer %(number)s not stored") % {"number": masked(number)}
                )
            else:
                try:
                    parsed = _known_number(number) if row is not None and number == row[PNR] else None
                    parsed = parsed or pnr.parse(number, today=self.today)
                except ValidationError as error:
                    code = error.error_list[0].code or "invalid"
                    self.warn(
                        _where(person),
                        _("personnummer %(number)s not stored (%(code)s): %(reason)s")
                        % {"number": masked(number), "code": code, "reason": " ".join(error.messages)},
                    )
            if parsed is not None:
                wanted["birth_date"] = wanted["birth_date"] or parsed.birth_date
                wanted["legal_gender"] = wanted["legal_gender"] or parsed.legal_gender
                owner = owners.get(parsed.normalised, person.register_id)
                if claimed.get(parsed.normalised, person.register_id) != person.register_id:
                    self.warn(
                        _where(person),
                        _("personnummer %(number)s also given for %(other)s; not stored")
                        % {"number": masked(number), "other": claimed[parsed.normalised]},
                    )
                elif owner == person.register_id:
                    wanted["personnummer"] = parsed.normalised
                    claimed[parsed.normalised] = person.register_id
                elif owner is None:
                    # An account made by hand: link it if this person is new.
                    wanted["personnummer"] = parsed.normalised
                    wanted["_link"] = row is None
                    claimed[parsed.normalised] = person.register_id
                    if row is not None:
                        self.warn(
                            _where(person),
                            _("personnummer %(number)s belongs to another account; not stored")
                            % {"number": masked(number)},
                        )
                        wanted["personnummer"] = None
                        wanted["_link"] = False
                else:
                    self.warn(
                        _where(person),
                        _("personnummer %(number)s belongs to register id %(owner)s; not stored")
                        % {"number": masked(number), "owner": owner},
                    )
        return wanted

    def _username(self, wanted, taken):
        base = username_base(wanted["first_name"], wanted["last_name"])
        candidate, n = base, self._suffixes.get(base, 1)
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{base}{n}"
        self._suffixes[base] = n  # common names: do not probe from 2 every time
        taken.add(candidate.casefold())
        return candidate

    def _describe_user_change(self, new, current, wanted, changed):
        language = get_language()
        line, reactivated, deactivated = _person_change_texts(language)
        labels = []
        for name in changed:
            if name == "is_active":
                labels.append(reactivated if wanted["is_active"] else deactivated)
                self.count("people.reactivated" if wanted["is_active"] else "people.deactivated")
            else:
                labels.append(_field_label(User, name, language))
        self.result.note(line % {"name": new.display_name, "id": new.register_id, "changes": ", ".join(labels)})

    # Memberships -------------------------------------------------------------

    def _memberships(self):
        data = self.data
        deleted_people, deleted_groups = data.deleted_persons, data.deleted_groups

        def enrolment_authority(key):
            pupil, group = key
            return (
                data.complete
                or group in data.groups_with_members
                or group in deleted_groups
                or (pupil in deleted_people)
            )

        def guardianship_authority(key):
            guardian, pupil = key
            return data.complete or pupil in data.pupils_with_responsibles or bool({guardian, pupil} & deleted_people)

        def staff_authority(key):
            person = key[0]
            return data.staff_complete or person in deleted_people or key[1] in deleted_groups

        # Stored rows are read by id, without joins, and keyed by the register's ids; a row
        # that involves a person, group or school without a register id is not the import's.
        rid_of = {pk: rid for rid, pk in self.user_ids.items()}
        ext_of_group = {group.pk: ext for ext, group in self.groups.items()}
        ext_of_school = {school.pk: ext for ext, school in self.schools.items()}

        def imported(*key):
            return None if None in key else key

        self._sync(
            Enrolment,
            "enrolments",
            Enrolment.objects.values_list("id", "pupil_id", "group_id", "start_date", "end_date"),
            lambda row: imported(rid_of.get(row[1]), ext_of_group.get(row[2])),
            {key: (span.start, span.end) for key, span in data.enrolments.items()},
            {key: span.where for key, span in data.enrolments.items()},
            ("start_date", "end_date"),
            enrolment_authority,
            lambda key: {"pupil_id": self.user_ids.get(key[0]), "group_id": self._group_id(key[1])},
        )
        self._sync(
            Guardianship,
            "guardianships",
            Guardianship.objects.values_list("id", "guardian_id", "pupil_id", "start_date", "end_date", "has_custody"),
            lambda row: imported(rid_of.get(row[1]), rid_of.get(row[2])),
            {key: (None, None, link.has_custody) for key, link in data.guardianships.items()},
            {key: link.where for key, link in data.guardianships.items()},
            ("start_date", "end_date", "has_custody"),
            guardianship_authority,
            lambda key: {"guardian_id": self.user_ids.get(key[0]), "pupil_id": self.user_ids.get(key[1])},
        )
        self._sync(
            SchoolRole,
            "school roles",
            SchoolRole.objects.filter(role__in=OWNED_SCHOOL_ROLES).values_list(
                "id", "user_id", "school_id", "role", "start_date", "end_date"
            ),
            lambda row: imported(rid_of.get(row[1]), ext_of_school.get(row[2]), row[3]),
            {key: (span.start, span.end) for key, span in data.school_roles.items()},
            {key: span.where for key, span in data.school_roles.items()},
            ("start_date", "end_date"),
            staff_authority,
            lambda key: {
                "user_id": self.user_ids.get(key[0]),
                "school_id": getattr(self.schools.get(key[1]), "pk", None),
                "role": key[2],
            },
        )
        self._sync(
            StaffAssignment,
            "staff assignments",
            StaffAssignment.objects.filter(role__in=data.assignment_roles).values_list(
                "id", "staff_id", "group_id", "role", "start_date", "end_date"
            ),
            lambda row: imported(rid_of.get(row[1]), ext_of_group.get(row[2]), row[3]),
            {key: (span.start, span.end) for key, span in data.staff_assignments.items()},
            {key: span.where for key, span in data.staff_assignments.items()},
            ("start_date", "end_date"),
            staff_authority,
            lambda key: {"staff_id": self.user_ids.get(key[0]), "group_id": self._group_id(key[1]), "role": key[2]},
        )

    def _group_id(self, ext):
        group = self.groups.get(ext)
        return group.pk if group else None

    def _sync(self, model, label, rows, key_of, wanted, where, fields, authority, refs):
        """Create, update and end one kind of membership.

        ``rows`` are the stored rows (id, key..., values...); ``wanted`` maps a
        key to the values the register gives. Stored rows the register no
        longer gives, within its authority, get yesterday as end date.
        """
        width = len(fields)
        stored = {}
        for row in rows.iterator(chunk_size=20_000):
            key = key_of(row)
            if key is None:
                continue
            if key not in stored or stored[key][0] < row[0]:
                stored[key] = (row[0], tuple(row[-width:]))
        creates, updates = [], []
        kind, kinds = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
        for key, values in wanted.items():
            ids = refs(key)
            if None in ids.values():
                missing = [str(KEY_PARTS[name.removesuffix("_id")]) for name, value in ids.items() if value is None]
                if len(missing) > 1:
                    missing = [_("%(first)s and %(last)s") % {"first": ", ".join(missing[:-1]), "last": missing[-1]}]
                self.warn(
                    where.get(key) or kinds,
                    _("%(kinds)s: refers to unknown %(missing)s %(key)s; skipped")
                    % {"kinds": kinds, "missing": missing[0], "key": key},
                )
                continue
            current = stored.get(key)
            if current is None:
                creates.append(model(**ids, **dict(zip(fields, values, strict=True))))
            elif current[1] != values:
                updates.append((current[0], ids, current[1], values))
        for key, (pk, values) in stored.items():
            if key in wanted or not authority(key):
                continue
            start, end = values[0], values[1]
            if end is not None and end < self.today:
                continue  # already ended
            ended = (start, self.yesterday, *values[2:])
            ids = refs(key)
            if None in ids.values():
                continue
            updates.append((pk, ids, values, ended))
        created = self._create(model, creates)
        created_line = _("+ %(kind)s %(item)s")
        for obj in created:
            self._touch(model, obj)
            self.result.note_lazily(lambda obj=obj: created_line % {"kind": kind, "item": obj})
        pairs = []
        ended_line, updated_line = _("- %(kind)s %(item)s"), _("~ %(kind)s %(item)s")
        for pk, ids, old_values, new_values in updates:
            old = model(pk=pk, **ids, **dict(zip(fields, old_values, strict=True)))
            new = model(pk=pk, **ids, **dict(zip(fields, new_values, strict=True)))
            pairs.append((old, new))
            self._touch(model, new)
            ends = new_values[1] == self.yesterday and old_values[1] != self.yesterday
            self.result.note((ended_line if ends else updated_line) % {"kind": kind, "item": self._repr(new)})
        for old, new in pairs:
            self._prime_repr(old)
            self._prime_repr(new)
        self._update(model, pairs, list(fields))
        slug = label.replace(" ", "_")
        self.count(f"{slug}.created", len(created))
        ended = sum(1 for _, _, old, new in updates if new[1] == self.yesterday and old[1] != self.yesterday)
        self.count(f"{slug}.ended", ended)
        self.count(f"{slug}.updated", len(updates) - ended)

    def _prime_repr(self, obj):
        """Put the names ``str()`` needs in the related-object cache, so it runs no
        queries and holds no model instances. Only after the row is written: the
        cache then holds plain strings, which a save would refuse."""
        for fk in obj._meta.concrete_fields:
            if not fk.is_relation:
                continue
            pk = getattr(obj, fk.attname)
            if fk.related_model is User:
                fk.set_cached_value(obj, self.user_names.get(pk, str(pk)))
            elif fk.related_model is PupilGroup:
                fk.set_cached_value(obj, str(self._groups_by_pk().get(pk, pk)))
            elif fk.related_model is School:
                fk.set_cached_value(obj, str(self._schools_by_pk().get(pk, pk)))

    def _repr(self, obj):
        self._prime_repr(obj)
        return str(obj)

    def _groups_by_pk(self):
        if not hasattr(self, "_group_pks"):
            self._group_pks = {group.pk: group for group in self.groups.values()}
        return self._group_pks

    def _schools_by_pk(self):
        if not hasattr(self, "_school_pks"):
            self._school_pks = {school.pk: school for school in self.schools.values()}
        return self._school_pks

    def _touch(self, model, obj):
        if model is Enrolment:
            self.touched["groups"].add(obj.group_id)
            self.touched["pupils"].add(obj.pupil_id)
        elif model is StaffAssignment:
            self.touched["staffed_groups"].add(obj.group_id)
        elif model is Guardianship:
            self.touched["wards"].add(obj.pupil_id)
        elif model is SchoolRole:
            self.touched["role_schools"].add(obj.school_id)

    # Audiences ---------------------------------------------------------------

    def _scope(self) -> Scope:
        """The audiences the changed rows feed, as ``accounts.signals.scope_of`` and
        ``audiences.scope_for_user`` would compute them row by row, in a few queries."""
        touched = self.touched
        if len(touched["pupils"]) > SCOPE_LIMIT:  # a first import: no need to widen it first
            return Scope.everything()
        groups, pupils, schools = set(touched["groups"]), set(touched["pupils"]), set(touched["schools"])
        if touched["staffed_groups"]:
            staffed = touched["staffed_groups"]
            groups |= staffed
            pupils |= set(Enrolment.objects.filter(group_id__in=staffed).values_list("pupil_id", flat=True))
            schools |= set(PupilGroup.objects.filter(id__in=staffed).values_list("school_id", flat=True))
        if touched["wards"]:
            pupils |= touched["wards"]
            groups |= set(Enrolment.objects.filter(pupil_id__in=touched["wards"]).values_list("group_id", flat=True))
        if touched["role_schools"]:
            school_groups = set(
                PupilGroup.objects.filter(school_id__in=touched["role_schools"]).values_list("id", flat=True)
            )
            schools |= touched["role_schools"]
            groups |= school_groups
            pupils |= set(Enrolment.objects.filter(group_id__in=school_groups).values_list("pupil_id", flat=True))
        if touched["activation"]:
            users = touched["activation"]
            if len(users) > SCOPE_LIMIT:
                return Scope.everything()
            staffed = set(StaffAssignment.objects.filter(staff_id__in=users).values_list("group_id", flat=True))
            wards = set(Guardianship.objects.filter(guardian_id__in=users).values_list("pupil_id", flat=True))
            role_schools = set(SchoolRole.objects.filter(user_id__in=users).values_list("school_id", flat=True))
            groups |= staffed | set(
                Enrolment.objects.filter(pupil_id__in=users | wards).values_list("group_id", flat=True)
            )
            pupils |= users | wards
            pupils |= set(Enrolment.objects.filter(group_id__in=staffed).values_list("pupil_id", flat=True))
            pupils |= set(
                Enrolment.objects.filter(group__school_id__in=role_schools).values_list("pupil_id", flat=True)
            )
            schools |= role_schools | set(PupilGroup.objects.filter(id__in=staffed).values_list("school_id", flat=True))
        if len(pupils) > SCOPE_LIMIT:
            return Scope.everything()
        return Scope(groups=groups, pupils=pupils, schools=schools)


def apply(data: RegisterData, actor: User | None = None, progress: Progress | None = None) -> Result:
    """Write ``data``; see the module docstring. Call inside ``transaction.atomic()``
    and ``audiences.deferred()`` (``runs.run_import`` does both)."""
    return Importer(data, actor, progress).apply()

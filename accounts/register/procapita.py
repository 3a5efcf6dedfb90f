"""ProCapita-style CSV exports: pupils, guardians, groups and staff.

Each file is recognised by its columns, not its name (see README.md for the
columns). UTF-8 with or without BOM and Windows-1252 are accepted, separated by
semicolons or commas. A delivery is a full snapshot, so all four files are
required: a missing file or column is a structural error and nothing changes.
"""

import csv
import datetime
import io
import re
import unicodedata
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import PupilGroup, SchoolForm, StaffAssignment

from .records import (
    GroupRecord,
    GuardianLink,
    OrganiserRecord,
    PersonRecord,
    RegisterData,
    SchoolRecord,
    Span,
    StructuralError,
)
from .ss12000 import DUTY_ROLES, SCHOOL_FORMS, school_year_of


def column(name: str) -> str:
    """Fold a header so that "Förnamn", "fornamn" and "FÖR-NAMN" are one column."""
    text = unicodedata.normalize("NFKD", name.casefold())
    return re.sub(r"[^a-z0-9]", "", "".join(ch for ch in text if not unicodedata.combining(ch)))


# kind → (the column that identifies it, required columns, optional columns), as written in the README.
KINDS = {
    "pupils": ("ElevID", ["ElevID", "Förnamn", "Efternamn"], ["Personnummer", "E-post", "Skyddad identitet"]),
    "guardians": (
        "VhID",
        ["VhID", "Förnamn", "Efternamn", "ElevID", "Vårdnad"],
        ["Personnummer", "E-post", "Skyddad identitet"],
    ),
    "groups": (
        "GruppID",
        ["GruppID", "Gruppnamn", "Skolenhetskod", "Skolform", "Läsår"],
        ["Grupptyp", "Årskurs", "Skolenhet", "ElevID"],
    ),
    "staff": (
        "PersonalID",
        ["PersonalID", "Förnamn", "Efternamn", "Skolenhetskod", "Befattning"],
        ["Personnummer", "E-post", "Skyddad identitet", "GruppID", "Grupproll"],
    ),
}
# The kinds as the report names them.
KIND_NAMES = {
    "pupils": gettext_lazy("pupils"),
    "guardians": gettext_lazy("guardians"),
    "groups": gettext_lazy("groups"),
    "staff": gettext_lazy("staff"),
}
YES = {"ja", "j", "yes", "y", "1", "true", "x", "sant"}
NO = {"nej", "n", "no", "0", "false", "", "falskt"}
FORMS = {
    **{form.value.casefold(): form.value for form in SchoolForm},
    **{k.casefold(): v for k, v in SCHOOL_FORMS.items()},
}
GROUP_KINDS = {
    "klass": PupilGroup.Kind.CLASS,
    "mentor": PupilGroup.Kind.CLASS,
    "undervisning": PupilGroup.Kind.TEACHING,
    "fritids": PupilGroup.Kind.LEISURE,
    "fritidshem": PupilGroup.Kind.LEISURE,
    "avdelning": PupilGroup.Kind.LEISURE,
}
ROLES = {key.casefold(): value for key, value in DUTY_ROLES.items()}


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _on_line(name: str):
    """Where a row is, as the report says it: the template is translated once a file, not once a row."""
    template = _("%(file)s, line %(line)s")
    return lambda line: template % {"file": name, "line": line}


def read_table(name: str, raw: bytes):
    """(kind, header map, rows with line numbers) for one file."""
    text = decode(raw)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise StructuralError(_("%(file)s: the file is empty") % {"file": name}) from None
    except csv.Error as error:
        raise StructuralError(
            _("%(file)s: not a readable CSV file (%(error)s)") % {"file": name, "error": error}
        ) from None
    index = {column(title): position for position, title in enumerate(header)}
    # Staff and group files also carry GruppID or ElevID: the most specific id decides.
    order = ("staff", "guardians", "groups", "pupils")
    kind = next((k for k in order if column(KINDS[k][0]) in index), None)
    if kind is None:
        keys = ", ".join(key for key, _, _ in KINDS.values())
        raise StructuralError(
            _("%(file)s: cannot tell which export this is (expected a column %(columns)s)")
            % {"file": name, "columns": keys}
        )
    missing = [title for title in KINDS[kind][1] if column(title) not in index]
    if missing:
        message = ngettext(
            "%(file)s (%(kind)s): missing column %(columns)s",
            "%(file)s (%(kind)s): missing columns %(columns)s",
            len(missing),
        )
        raise StructuralError(message % {"file": name, "kind": KIND_NAMES[kind], "columns": ", ".join(missing)})
    try:
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        where = _on_line(name)(reader.line_num)
        raise StructuralError(f"{where}: {error}") from None

    def get(row, title):
        position = index.get(column(title))
        return row[position].strip() if position is not None and position < len(row) else ""

    return kind, get, rows, column("Skyddad identitet") in index


def _flag(value, where, data, what):
    folded = value.casefold()
    if folded in YES:
        return True
    if folded not in NO:
        data.warn(
            where,
            _("%(column)s: %(value)s is neither Ja nor Nej; read as Nej") % {"column": what, "value": repr(value)},
        )
    return False


def read_files(paths, organiser: str = "") -> RegisterData:
    """Read the four exports. ``paths`` are file paths or (name, bytes) pairs."""
    files = []
    for path in paths:
        if isinstance(path, tuple):
            files.append(path)
            continue
        try:
            files.append((Path(path).name, Path(path).read_bytes()))
        except OSError as error:
            raise StructuralError(
                _("%(file)s: cannot be read (%(error)s)") % {"file": path, "error": error.strerror}
            ) from None
    tables = {}
    for name, raw in files:
        kind, get, rows, has_marking = read_table(name, raw)
        if kind in tables:
            raise StructuralError(
                _("%(file)s: a second file of %(kind)s (the first was %(first)s)")
                % {"file": name, "kind": KIND_NAMES[kind], "first": tables[kind][0]}
            )
        tables[kind] = (name, get, rows, has_marking)
    missing = [kind for kind in KINDS if kind not in tables]
    if missing:
        message = ngettext(
            "missing file for: %(kinds)s (all four exports make one delivery)",
            "missing files for: %(kinds)s (all four exports make one delivery)",
            len(missing),
        )
        raise StructuralError(message % {"kinds": ", ".join(str(KIND_NAMES[kind]) for kind in missing)})

    data = RegisterData(source=", ".join(name for name, _ in files), complete=True)
    if organiser:
        data.organisers[f"huvudman:{organiser}"] = OrganiserRecord(f"huvudman:{organiser}", organiser)
    organiser_id = f"huvudman:{organiser}" if organiser else None
    for kind in ("pupils", "guardians", "staff"):
        _people(data, kind, *tables[kind])
    _groups(data, *tables["groups"], organiser_id)
    _guardians(data, *tables["guardians"])
    _staff(data, *tables["staff"])
    return data


def _people(data, kind, name, get, rows, has_marking):
    id_column = KINDS[kind][0]
    at = _on_line(name)
    for line, row in rows:
        where = at(line)
        rid = get(row, id_column)
        if not rid:
            data.warn(where, _("no %(column)s; row skipped") % {"column": id_column})
            continue
        if rid in data.persons:
            continue  # the same person in several rows or files
        first, last = get(row, "Förnamn"), get(row, "Efternamn")
        if not (first or last):
            data.warn(where, _("no name; row skipped"))
            continue
        protected = _flag(get(row, "Skyddad identitet"), where, data, "Skyddad identitet") if has_marking else None
        data.persons[rid] = PersonRecord(
            register_id=rid,
            first_name=first,
            last_name=last,
            email=get(row, "E-post"),
            civic_no=get(row, "Personnummer"),
            protected=protected,
            where=where,
        )


def _school(data, code, school_name, form, organiser_id):
    ext = f"skolenhetskod:{code}"
    school = data.schools.get(ext)
    if school is None:
        school = data.schools[ext] = SchoolRecord(ext, school_name, code, [], organiser_id)
    if school_name and not school.name:
        school.name = school_name
    if form not in school.school_forms:
        school.school_forms = [f for f in SchoolForm.values if f in {*school.school_forms, form}]
    return ext


def _groups(data, name, get, rows, _has_marking, organiser_id):
    at = _on_line(name)
    for line, row in rows:
        where = at(line)
        gid, code = get(row, "GruppID"), get(row, "Skolenhetskod")
        if not gid or not code:
            data.warn(where, _("no GruppID or Skolenhetskod; row skipped"))
            continue
        form = FORMS.get(get(row, "Skolform").casefold())
        if form is None:
            data.warn(
                where,
                _("school form %(form)s is not one Unikum covers; row skipped") % {"form": repr(get(row, "Skolform"))},
            )
            continue
        school = _school(data, code, get(row, "Skolenhet"), form, organiser_id)
        if gid not in data.groups:
            year = re.match(r"\s*(\d{4})", get(row, "Läsår"))
            level = get(row, "Årskurs")
            data.groups[gid] = GroupRecord(
                external_id=gid,
                school_id=school,
                name=get(row, "Gruppnamn") or gid,
                kind=GROUP_KINDS.get(get(row, "Grupptyp").casefold(), PupilGroup.Kind.CLASS),
                school_form=form,
                school_year=int(year.group(1)) if year else school_year_of(datetime.date.today()),
                year_level=int(level) if level.isdigit() and int(level) < 20 else None,
            )
        pupil = get(row, "ElevID")
        if pupil:
            if pupil not in data.persons:
                data.warn(where, _("ElevID %(id)s is not in the pupils file; membership skipped") % {"id": pupil})
                continue
            data.enrolments[(pupil, gid)] = Span(where=where)


def _guardians(data, name, get, rows, _has_marking):
    at = _on_line(name)
    for line, row in rows:
        where = at(line)
        guardian, pupil = get(row, "VhID"), get(row, "ElevID")
        if not guardian or guardian not in data.persons:
            continue  # reported by _people
        if pupil not in data.persons:
            data.warn(
                where,
                _("ElevID %(id)s is not in the pupils file; guardianship skipped") % {"id": pupil or _("(empty)")},
            )
            continue
        custody = _flag(get(row, "Vårdnad"), where, data, "Vårdnad")
        data.guardianships[(guardian, pupil)] = GuardianLink(custody, where)
        if not custody:
            data.warn(
                where,
                _("guardian %(guardian)s without custody of %(pupil)s: recorded without access")
                % {"guardian": guardian, "pupil": pupil},
            )


def _staff(data, name, get, rows, _has_marking):
    at = _on_line(name)
    for line, row in rows:
        where = at(line)
        person, code = get(row, "PersonalID"), get(row, "Skolenhetskod")
        if not person or person not in data.persons:
            continue
        title = get(row, "Befattning")
        role = ROLES.get(title.casefold())
        if code and role:
            if f"skolenhetskod:{code}" not in data.schools:
                data.schools[f"skolenhetskod:{code}"] = SchoolRecord(f"skolenhetskod:{code}", "", code, [], None)
            data.school_roles[(person, f"skolenhetskod:{code}", role)] = Span(where=where)
        elif title:
            data.warn(where, _("Befattning %(title)s gives no role in Unikum") % {"title": repr(title)})
        group = get(row, "GruppID")
        if group:
            if group not in data.groups:
                data.warn(where, _("GruppID %(id)s is not in the groups file; assignment skipped") % {"id": group})
                continue
            mentor = get(row, "Grupproll").casefold() == "mentor"
            assignment = StaffAssignment.Role.MENTOR if mentor else StaffAssignment.Role.TEACHER
            data.staff_assignments[(person, group, assignment)] = Span(where=where)

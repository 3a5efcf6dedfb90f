"""Load curriculum data in the JSON format of Skolverket's open syllabus API.

The API (``https://api.skolverket.se/syllabus/v1/subjects/{code}``) answers a
``SubjectResponse``: ``{"subject": {...}}`` with ``code``, ``name``,
``schoolTypes``, ``version``, ``purpose`` (HTML), ``centralContents`` (a list of
``{"year": "7-9", "text": HTML}``), ``knowledgeRequirements`` (a list of
``{"year": "9", "gradeStep": "E", "text": HTML}``; an empty ``gradeStep`` is a
requirement for acceptable knowledge, as for year 3) and, in the gymnasium,
``courses`` with ``code``, ``name``, ``points``, ``centralContent`` and
``knowledgeRequirements``.

A file may hold one such response, a subject object, a list of them, or
``{"subjects": [...]}``. Unikum's own files add ``"curriculums"``: the
curricula with their goals for förskoleklass and fritidshem, and say in
``"source"`` where the texts come from.

The HTML is split into items: every list item (or paragraph) of central content
under its heading, every paragraph of the criteria. Paragraph n of E, C and A
describe the same aspect. Loading is validate-everything-first, then write in
one transaction: a file with any error changes nothing and every error is named
with its place in the file.
"""

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.db import transaction

from accounts.models import SchoolForm

from .models import CentralContent, Course, Curriculum, Goal, GradingCriterion, Subject

SCHOOL_TYPES = {
    "GR": SchoolForm.COMPULSORY,
    "GY": SchoolForm.UPPER_SECONDARY,
    "FKLASS": SchoolForm.PRESCHOOL_CLASS,
    "FK": SchoolForm.PRESCHOOL_CLASS,
    "FTH": SchoolForm.LEISURE_TIME_CENTRE,
    "FH": SchoolForm.LEISURE_TIME_CENTRE,
}
DEFAULT_CURRICULUM = {
    SchoolForm.COMPULSORY: "LGR22",
    SchoolForm.PRESCHOOL_CLASS: "LGR22",
    SchoolForm.LEISURE_TIME_CENTRE: "LGR22",
    SchoolForm.UPPER_SECONDARY: "GY11",
}
DEFAULT_CURRICULUM_NAMES = {
    "LGR22": "Läroplan för grundskolan, förskoleklassen och fritidshemmet (Lgr22)",
    "GY11": "Läroplan, examensmål och gymnasiegemensamma ämnen för gymnasieskola 2011 (Gy11)",
}
YEAR_SPAN = re.compile(r"^(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?$")
LEVELS = {"E": "E", "C": "C", "A": "A", "": "", "G": ""}


class CurriculumFileError(Exception):
    """The file cannot be loaded; ``errors`` names each problem and where it is."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


# HTML into items -------------------------------------------------------------


class _Items(HTMLParser):
    """Collects (heading, text) for each list item or paragraph."""

    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
    BLOCKS = {"li", "p"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str]] = []
        self.heading = ""
        self._buffer: list[str] | None = None
        self._kind = None
        self._loose: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HEADINGS or tag in self.BLOCKS:
            self._flush_loose()
            if self._buffer is not None and self._kind in self.BLOCKS and tag in self.BLOCKS:
                self._end()  # a nested list item closes the outer text
            self._buffer, self._kind = [], tag
        elif tag == "br" and self._buffer is not None:
            self._buffer.append(" ")

    def handle_endtag(self, tag):
        if self._buffer is not None and tag == self._kind:
            self._end()

    def handle_data(self, data):
        if self._buffer is not None:
            self._buffer.append(data)
        else:
            self._loose.append(data)

    def _end(self):
        text = _clean(" ".join(self._buffer))
        if self._kind in self.HEADINGS:
            self.heading = text
        elif text:
            self.items.append((self.heading, text))
        self._buffer, self._kind = None, None

    def _flush_loose(self):
        text = _clean(" ".join(self._loose))
        if text:
            self.items.append((self.heading, text))
        self._loose = []

    def close(self):
        super().close()
        if self._buffer is not None:
            self._end()
        self._flush_loose()


def _clean(text):
    return re.sub(r"\s+", " ", text).strip()


def split_items(html: str) -> list[tuple[str, str]]:
    """``[(heading, text), ...]`` for each list item or paragraph of ``html``."""
    parser = _Items()
    parser.feed(html or "")
    parser.close()
    return parser.items


# Parsing into plain records --------------------------------------------------


@dataclass
class CurriculumRecord:
    code: str
    name: str
    school_forms: list[str]
    source: str
    goals: list[dict] = field(default_factory=list)


@dataclass
class SubjectRecord:
    curriculum: str
    code: str
    name: str
    school_form: str
    purpose: str
    version: int | None
    courses: list[dict] = field(default_factory=list)
    central_content: list[dict] = field(default_factory=list)
    criteria: list[dict] = field(default_factory=list)


@dataclass
class Parsed:
    curricula: dict[str, CurriculumRecord] = field(default_factory=dict)
    subjects: list[SubjectRecord] = field(default_factory=list)


class _Reader:
    def __init__(self):
        self.errors: list[str] = []

    def error(self, where, message):
        self.errors.append(f"{where}: {message}")

    def text(self, obj, key, where, required=True):
        value = obj.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(f"{where}.{key}", "missing")
            return ""
        if not isinstance(value, str):
            self.error(f"{where}.{key}", f"expected text, got {type(value).__name__}")
            return ""
        return value.strip()

    def integer(self, obj, key, where):
        value = obj.get(key)
        if value in (None, ""):
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            self.error(f"{where}.{key}", f"expected a whole number, got {value!r}")
            return None
        if number < 0:
            self.error(f"{where}.{key}", f"expected a whole number, got {value!r}")
            return None
        return number

    def array(self, obj, key, where):
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{where}.{key}", f"expected a list, got {type(value).__name__}")
            return []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.error(f"{where}.{key}[{index}]", f"expected an object, got {type(item).__name__}")
                return []
        return value

    def school_form(self, obj, where):
        types = obj.get("schoolTypes") or ([obj["schoolType"]] if obj.get("schoolType") else [])
        if not isinstance(types, list) or not types:
            self.error(f"{where}.schoolTypes", "missing (one of GR, GY, FKLASS, FTH)")
            return ""
        forms = {SCHOOL_TYPES.get(str(code).strip().upper()) for code in types}
        if None in forms:
            unknown = [code for code in types if str(code).strip().upper() not in SCHOOL_TYPES]
            self.error(f"{where}.schoolTypes", f"unknown school type {', '.join(map(str, unknown))}")
            return ""
        return sorted(forms)[0]

    # The parts --------------------------------------------------------------

    def curriculum(self, obj, where, source) -> CurriculumRecord | None:
        code = self.text(obj, "code", where).upper()
        name = self.text(obj, "name", where, required=False) or DEFAULT_CURRICULUM_NAMES.get(code, code)
        forms = []
        for index, school_type in enumerate(obj.get("schoolTypes") or []):
            form = SCHOOL_TYPES.get(str(school_type).strip().upper())
            if form is None:
                self.error(f"{where}.schoolTypes[{index}]", f"unknown school type {school_type!r}")
            elif form not in forms:
                forms.append(form)
        record = CurriculumRecord(code, name, forms, obj.get("source") or source)
        positions = {}
        for index, goal in enumerate(self.array(obj, "goals", where)):
            at = f"{where}.goals[{index}]"
            form = self.school_form(goal, at)
            text = self.text(goal, "text", at)
            heading = self.text(goal, "heading", at, required=False)
            items = split_items(text) if "<" in text else [(heading, text)]
            for item_heading, item_text in items:
                position = positions.get(form, 0)
                positions[form] = position + 1
                record.goals.append(
                    {"school_form": form, "heading": item_heading or heading, "text": item_text, "position": position}
                )
        return record if code else None

    def central_content(self, html, where, years=""):
        items = [
            {"years": years, "heading": heading[:300], "text": text, "position": position}
            for position, (heading, text) in enumerate(split_items(html))
        ]
        if html and not items:
            self.error(where, "no central content items in the text")
        return items

    def criteria(self, requirements, where, with_year):
        rows = []
        for index, requirement in enumerate(requirements):
            at = f"{where}[{index}]"
            step = str(requirement.get("gradeStep") or "").strip().upper()
            if step not in LEVELS:
                self.error(f"{at}.gradeStep", f"expected E, C, A or empty, got {requirement.get('gradeStep')!r}")
                continue
            year = None
            if with_year:
                year = self.integer(requirement, "year", at)
                if year is None and "year" not in requirement:
                    self.error(f"{at}.year", "missing")
                    continue
                if year is not None and not 0 <= year <= 10:
                    self.error(f"{at}.year", f"expected a year from 0 to 10, got {year}")
                    continue
            text = self.text(requirement, "text", at)
            level = LEVELS[step]
            kind = GradingCriterion.Kind.GRADING_CRITERIA if level else GradingCriterion.Kind.KNOWLEDGE_REQUIREMENT
            aspect = str(requirement.get("aspectName") or "").strip()[:300]
            for position, (_heading, paragraph) in enumerate(split_items(text)):
                rows.append(
                    {
                        "year": year,
                        "level": level,
                        "kind": kind,
                        "aspect": aspect,
                        "text": paragraph,
                        "position": position,
                    }
                )
        seen = set()
        for row in rows:
            key = (row["year"], row["level"], row["position"])
            if key in seen:
                self.error(where, f"criteria for year {row['year']}, level {row['level'] or '-'} appear twice")
                break
            seen.add(key)
        return rows

    def subject(self, obj, where, curricula) -> SubjectRecord | None:
        if "subject" in obj and isinstance(obj["subject"], dict):
            obj, where = obj["subject"], f"{where}.subject"
        code = self.text(obj, "code", where)
        name = self.text(obj, "name", where)
        form = self.school_form(obj, where)
        curriculum = str(obj.get("curriculum") or DEFAULT_CURRICULUM.get(form, "")).strip().upper()
        if form and curriculum not in curricula and curriculum not in DEFAULT_CURRICULUM_NAMES:
            self.error(f"{where}.curriculum", f"unknown curriculum {curriculum!r}")
        record = SubjectRecord(
            curriculum, code, name, form, obj.get("purpose") or "", self.integer(obj, "version", where)
        )
        spans = set()
        for index, block in enumerate(self.array(obj, "centralContents", where)):
            at = f"{where}.centralContents[{index}]"
            years = str(block.get("year") or "").strip()
            match = YEAR_SPAN.match(years)
            if not match:
                self.error(f"{at}.year", f"expected a year span such as 7-9, got {block.get('year')!r}")
                continue
            years = f"{match[1]}-{match[2]}" if match[2] else match[1]
            if years in spans:
                self.error(f"{at}.year", f"central content for years {years} appears twice")
                continue
            spans.add(years)
            record.central_content += self.central_content(self.text(block, "text", at), at, years)
        record.criteria = self.criteria(
            self.array(obj, "knowledgeRequirements", where), f"{where}.knowledgeRequirements", with_year=True
        )
        for index, course in enumerate(self.array(obj, "courses", where)):
            at = f"{where}.courses[{index}]"
            course_code = self.text(course, "code", at)
            content = course.get("centralContent") or {}
            if isinstance(content, list):  # some exports wrap it in a list
                content = {"text": "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))}
            if not isinstance(content, dict):
                self.error(f"{at}.centralContent", "expected an object with text")
                content = {}
            record.courses.append(
                {
                    "code": course_code,
                    "name": self.text(course, "name", at),
                    "points": self.integer(course, "points", at),
                    "central_content": self.central_content(content.get("text") or "", f"{at}.centralContent")
                    if content.get("text")
                    else [],
                    "criteria": self.criteria(
                        self.array(course, "knowledgeRequirements", at), f"{at}.knowledgeRequirements", with_year=False
                    ),
                }
            )
        return record if code else None


def parse(data) -> Parsed:
    """Turn decoded JSON into records, or raise ``CurriculumFileError`` with every problem."""
    reader = _Reader()
    parsed = Parsed()
    source = ""
    subjects: list[tuple[str, dict]] = []
    if isinstance(data, list):
        subjects = [(f"[{index}]", item) for index, item in enumerate(data)]
    elif isinstance(data, dict):
        source = str(data.get("source") or "").strip()
        if data.get("date"):
            source = f"{source} ({data['date']})" if source else str(data["date"])
        for index, obj in enumerate(reader.array(data, "curriculums", "")):
            record = reader.curriculum(obj, f"curriculums[{index}]", source)
            if record:
                parsed.curricula[record.code] = record
        if "subjects" in data:
            subjects = [(f"subjects[{index}]", item) for index, item in enumerate(reader.array(data, "subjects", ""))]
        elif "subject" in data or "code" in data:
            subjects = [("", data)]
        elif not parsed.curricula:
            reader.error("file", "no subjects or curriculums found")
    else:
        reader.error("file", "expected a JSON object or list")
    codes = {}
    for where, obj in subjects:
        if not isinstance(obj, dict):
            reader.error(where or "file", f"expected an object, got {type(obj).__name__}")
            continue
        record = reader.subject(obj, where or "subject", parsed.curricula)
        if record is None:
            continue
        if record.code in codes:
            reader.error(where, f"subject {record.code} appears twice (also at {codes[record.code]})")
            continue
        codes[record.code] = where
        parsed.subjects.append(record)
    course_codes = {}
    for record in parsed.subjects:
        for course in record.courses:
            if course["code"] in course_codes:
                reader.error(
                    f"course {course['code']}", f"appears in both {course_codes[course['code']]} and {record.code}"
                )
            course_codes[course["code"]] = record.code
    # Subjects without a curriculum block get the standard one, marked as such.
    for record in parsed.subjects:
        if record.curriculum and record.curriculum not in parsed.curricula:
            parsed.curricula[record.curriculum] = CurriculumRecord(
                record.curriculum, DEFAULT_CURRICULUM_NAMES.get(record.curriculum, record.curriculum), [], source
            )
    if reader.errors:
        raise CurriculumFileError(reader.errors)
    return parsed


def read_file(path) -> Parsed:
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CurriculumFileError([f"{path}: no such file"]) from None
    except UnicodeDecodeError as error:
        raise CurriculumFileError([f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"]) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise CurriculumFileError([f"{path}: line {error.lineno}, column {error.colno}: {error.msg}"]) from None
    return parse(data)


# Writing ---------------------------------------------------------------------


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def as_dict(self):
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged, "removed": self.removed}


def _upsert(counts, model, lookup, values):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**{name: value for name, value in lookup.items() if "__" not in name}, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        counts.created += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        counts.updated += 1
    else:
        counts.unchanged += 1
    return obj


def _replace_items(counts, model, parent_lookup, rows, key_fields):
    """Upsert ``rows`` under the parent and remove the parent's rows the file no longer has."""
    kept = set()
    for row in rows:
        lookup = {**parent_lookup, **{name: row[name] for name in key_fields}}
        values = {name: value for name, value in row.items() if name not in key_fields}
        kept.add(_upsert(counts, model, lookup, values).pk)
    for stale in model.objects.filter(**parent_lookup).exclude(pk__in=kept):
        stale.delete()
        counts.removed += 1


@transaction.atomic
def load(parsed: Parsed) -> Counts:
    """Write the records; re-loading the same data changes nothing."""
    counts = Counts()
    curricula = {}
    for record in parsed.curricula.values():
        existing = Curriculum.objects.filter(code=record.code).first()
        forms = record.school_forms or (existing.school_forms if existing else [])
        values = {"name": record.name, "school_forms": forms}
        if record.source or not existing:
            values["source"] = record.source
        curricula[record.code] = curriculum = _upsert(counts, Curriculum, {"code": record.code}, values)
        if record.goals:
            _replace_items(counts, Goal, {"curriculum": curriculum}, record.goals, ["school_form", "position"])
    for record in parsed.subjects:
        curriculum = curricula[record.curriculum]
        if record.school_form not in curriculum.school_forms:
            curriculum.school_forms = [*curriculum.school_forms, record.school_form]
            curriculum.save(update_fields=["school_forms"])
        subject = _upsert(
            counts,
            Subject,
            {"code": record.code},
            {
                "curriculum": curriculum,
                "name": record.name,
                "school_form": record.school_form,
                "purpose": record.purpose,
                "version": record.version,
            },
        )
        subject_lookup = {"subject": subject, "course__isnull": True}
        _replace_items(counts, CentralContent, subject_lookup, record.central_content, ["years", "position"])
        _replace_items(counts, GradingCriterion, subject_lookup, record.criteria, ["year", "level", "position"])
        for row in record.courses:
            course = _upsert(
                counts,
                Course,
                {"code": row["code"]},
                {"subject": subject, "name": row["name"], "points": row["points"]},
            )
            course_lookup = {"subject": subject, "course": course}
            _replace_items(counts, CentralContent, course_lookup, row["central_content"], ["position"])
            _replace_items(counts, GradingCriterion, course_lookup, row["criteria"], ["level", "position"])
    return counts

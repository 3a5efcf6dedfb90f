"""What a register source says, in one source-neutral shape.

Both readers (the SS 12000 client and the ProCapita CSV reader) turn their
input into a ``RegisterData``; ``importer.apply`` compares it with the database.
Records are small slotted dataclasses so that a register of 200,000 people fits
comfortably in memory once the raw payload has been dropped.
"""

import datetime
from dataclasses import dataclass, field


class StructuralError(Exception):
    """The input cannot be trusted as a whole (unreadable file, wrong columns,
    broken JSON, failed authentication). Nothing is changed."""


@dataclass(slots=True)
class Notice:
    """One line of the report: where in the input, and what is wrong or worth knowing."""

    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(slots=True)
class OrganiserRecord:
    external_id: str
    name: str
    organisation_number: str = ""


@dataclass(slots=True)
class SchoolRecord:
    external_id: str
    name: str
    school_unit_code: str = ""
    school_forms: list[str] = field(default_factory=list)
    organiser_id: str | None = None  # external id; None: keep the current organiser


@dataclass(slots=True)
class GroupRecord:
    external_id: str
    school_id: str
    name: str
    kind: str
    school_form: str
    school_year: int
    year_level: int | None = None


@dataclass(slots=True)
class PersonRecord:
    register_id: str
    first_name: str
    last_name: str
    email: str = ""
    civic_no: str = ""  # as the source wrote it; validated by the importer
    birth_date: datetime.date | None = None
    legal_gender: str = ""
    protected: bool | None = None  # None: the source does not say, keep what we have
    active: bool = True
    where: str = ""


@dataclass(slots=True)
class Span:
    start: datetime.date | None = None
    end: datetime.date | None = None
    where: str = ""


@dataclass(slots=True)
class GuardianLink:
    has_custody: bool
    where: str = ""


@dataclass
class RegisterData:
    """One delivery from the register.

    ``complete`` means a full snapshot: everything the import owns and the data
    does not mention has ended (people are deactivated, memberships get an end
    date). An incremental delivery instead names what it is authoritative for:
    the groups whose member lists it carries, the pupils whose guardians it
    carries, and what the source deleted.
    """

    source: str = ""
    complete: bool = True
    organisers: dict[str, OrganiserRecord] = field(default_factory=dict)
    schools: dict[str, SchoolRecord] = field(default_factory=dict)
    groups: dict[str, GroupRecord] = field(default_factory=dict)
    persons: dict[str, PersonRecord] = field(default_factory=dict)
    # Memberships keyed as the database keys them.
    enrolments: dict[tuple[str, str], Span] = field(default_factory=dict)  # (pupil, group)
    guardianships: dict[tuple[str, str], GuardianLink] = field(default_factory=dict)  # (guardian, pupil)
    school_roles: dict[tuple[str, str, str], Span] = field(default_factory=dict)  # (person, school, role)
    staff_assignments: dict[tuple[str, str, str], Span] = field(default_factory=dict)  # (person, group, role)
    # Authority of an incremental delivery.
    groups_with_members: set[str] = field(default_factory=set)
    pupils_with_responsibles: set[str] = field(default_factory=set)
    staff_complete: bool = True
    # Staff assignment roles the source speaks for; others are left to the admin.
    assignment_roles: set[str] = field(default_factory=lambda: {"teacher", "mentor"})
    deleted_persons: set[str] = field(default_factory=set)
    deleted_groups: set[str] = field(default_factory=set)
    warnings: list[Notice] = field(default_factory=list)
    # High-water mark for the next incremental run (SS 12000 only).
    watermark: datetime.datetime | None = None

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(Notice(where, message))

"""Fill an empty database with a fictional municipality to try Unikum on.

Why it exists: ``make run`` should show a realistic school organisation, with
logins for every role, without real personal data. Lingbacka kommun has three
schools covering förskoleklass, fritidshem, grundskola and gymnasieskola, 40-odd
groups, about 700 pupils with their guardians, teachers, mentors, a rektor per
school and an administrator.

Safety and repeatability:

- Everything is invented. Names are combined from the lists in
  ``accounts/management/demo_names.py``; personnummer are generated (valid date and Luhn check
  digit) from a fixed random seed, so every run builds the same people.
- All demo accounts share one published password, so the command refuses to
  run when DEBUG is off.
- Running it again changes nothing: if the demo municipality exists, the
  logins are printed again and the command stops.
- One transaction: a failure leaves the database as it was. Audiences are
  derived once at the end (``audiences.deferred()``), not after every row.
- Every row is audited like any other write, with no acting user (a command
  has none); that costs about half the run time (some 9 s on SQLite) and keeps
  the rule that no personal-data row appears without an audit entry.
"""

import datetime
import random
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import audiences
from accounts import personnummer as pnr
from accounts.management.demo_names import FEMALE_NAMES, LAST_NAMES, MALE_NAMES
from accounts.models import (
    Enrolment,
    Guardianship,
    Organiser,
    PupilGroup,
    School,
    SchoolForm,
    SchoolRole,
    StaffAssignment,
    User,
)

ORGANISER_ID = "demo:lingbacka"
PASSWORD = "demo1234"
URL = "http://127.0.0.1:8000"
SCHOOL_YEAR = 2026
SEED = 2026

# The printed logins, one per role: (role, username).
LOGINS = [
    ("Lärare (teacher)", "larare"),
    ("Mentor", "mentor"),
    ("Rektor", "rektor"),
    ("Administratör (admin)", "admin"),
    ("Elev (pupil)", "elev"),
    ("Vårdnadshavare (guardian)", "vardnadshavare"),
    ("Superuser (Django admin)", "superadmin"),
]


class Rollback(Exception):
    """Raised to undo a dry run."""


@dataclass
class Planned:
    """A pupil before it is saved: which class, born when."""

    group: PupilGroup
    birth_year: int
    taken: bool = False


class Builder:
    def __init__(self, stdout, verbosity):
        self.random = random.Random(SEED)
        self.password = make_password(PASSWORD)  # hashed once: argon2 for 2,000 users is slow
        self.personnummer = set()
        self.usernames = set()
        self.stdout = stdout
        self.verbosity = verbosity
        self.pupils_of = defaultdict(list)  # class → pupils
        self.counts = defaultdict(int)

    def say(self, text):
        if self.verbosity >= 2:
            self.stdout.write(text)

    # People -----------------------------------------------------------------

    def new_personnummer(self, birth_year, gender):
        """A valid, unique, invented personnummer (twelve digits)."""
        while True:
            born = datetime.date(birth_year, 1, 1) + datetime.timedelta(days=self.random.randrange(365))
            serial = self.random.randrange(100)
            gender_digit = self.random.randrange(1 if gender == "M" else 0, 10, 2)  # odd for men
            nine = f"{born:%y%m%d}{serial:02d}{gender_digit}"
            number = f"{born.year // 100}{nine}{check_digit(nine)}"
            if number not in self.personnummer:
                self.personnummer.add(number)
                return number

    def username_for(self, first_name, last_name):
        base = f"{ascii_name(first_name)}.{ascii_name(last_name)}"
        candidate, n = base, 1
        while candidate in self.usernames:
            n += 1
            candidate = f"{base}{n}"
        return candidate

    def person(self, birth_year, gender=None, last_name=None, first_name=None, username=None, **extra):
        gender = gender or self.random.choice("FM")
        first_name = first_name or self.random.choice(FEMALE_NAMES if gender == "F" else MALE_NAMES)
        last_name = last_name or self.random.choice(LAST_NAMES)
        username = username or self.username_for(first_name, last_name)
        self.usernames.add(username)
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@demo.lingbacka.invalid",
            personnummer=self.new_personnummer(birth_year, gender),
            password=self.password,
            **extra,
        )
        user.save()
        self.counts["people"] += 1
        return user

    def staff(self, school, role=SchoolRole.Role.TEACHER, **kwargs):
        user = self.person(self.random.randint(1960, 1996), **kwargs)
        SchoolRole.objects.create(user=user, school=school, role=role)
        return user

    # Organisation -------------------------------------------------------------

    def group(self, school, name, form, year_level=None, kind=PupilGroup.Kind.CLASS):
        self.counts["groups"] += 1
        return PupilGroup.objects.create(
            school=school,
            name=name,
            kind=kind,
            school_form=form,
            year_level=year_level,
            school_year=SCHOOL_YEAR,
            external_id=f"{school.external_id}:{name}",
        )

    def assign(self, staff, group, role=StaffAssignment.Role.TEACHER):
        StaffAssignment.objects.get_or_create(staff=staff, group=group, role=role)

    def enrol(self, pupil, group):
        Enrolment.objects.create(pupil=pupil, group=group)
        if group.kind == PupilGroup.Kind.CLASS:
            self.pupils_of[group].append(pupil)

    def build(self):
        organiser = Organiser.objects.create(
            name="Lingbacka kommun", organisation_number="212000-9999", external_id=ORGANISER_ID
        )
        schools = {
            key: School.objects.create(
                organiser=organiser, name=name, school_unit_code=code, school_forms=forms, external_id=f"demo:{key}"
            )
            for key, name, code, forms in [
                ("solbacken", "Solbackens skola", "90000001", ["FK", "FH", "GR"]),
                ("ekangen", "Ekängsskolan", "90000002", ["GR"]),
                ("norrvik", "Norrviks gymnasium", "90000003", ["GY"]),
            ]
        }
        classes = self.build_classes(schools)
        self.build_pupils_and_families(classes)
        self.build_teaching_groups(schools)
        self.build_staff(schools)
        self.counts["schools"] = len(schools)

    def build_classes(self, schools):
        """Classes with the pupils each should get: (class, birth year, size)."""
        solbacken, ekangen, norrvik = schools["solbacken"], schools["ekangen"], schools["norrvik"]
        classes = []
        for letter in "AB":
            classes.append((self.group(solbacken, f"F{letter}", SchoolForm.PRESCHOOL_CLASS, 0), 22))
        for year in range(1, 7):
            for letter in "AB":
                classes.append((self.group(solbacken, f"{year}{letter}", SchoolForm.COMPULSORY, year), 22))
        for year in range(7, 10):
            for letter in "AB":
                classes.append((self.group(ekangen, f"{year}{letter}", SchoolForm.COMPULSORY, year), 25))
        for programme in ("NA", "SA", "TE"):
            for year in range(1, 4):
                name = f"{programme}{(SCHOOL_YEAR - year + 1) % 100}"  # NA26 started in 2026
                classes.append((self.group(norrvik, name, SchoolForm.UPPER_SECONDARY, year), 25))
        return classes

    @staticmethod
    def birth_year(group):
        # Pupils start förskoleklass the year they turn six and gymnasieskola the year they turn sixteen.
        if group.school_form == SchoolForm.UPPER_SECONDARY:
            return SCHOOL_YEAR - 15 - group.year_level
        return SCHOOL_YEAR - 6 - group.year_level

    def build_pupils_and_families(self, classes):
        by_name = {group.name: group for group, _ in classes}
        # The demo family first, so its people get the printed usernames.
        family = "Lindqvist"
        elev = self.person(self.birth_year(by_name["7A"]), "F", family, "Elsa", username="elev")
        sibling = self.person(self.birth_year(by_name["4A"]), "M", family, "Nils")
        self.enrol(elev, by_name["7A"])
        self.enrol(sibling, by_name["4A"])
        parent_year = self.birth_year(by_name["7A"]) - 32
        guardians = [
            self.person(parent_year, "F", family, "Karin", username="vardnadshavare"),
            self.person(parent_year - 2, "M", family, "Johan"),
        ]
        for guardian in guardians:
            for child in (elev, sibling):
                Guardianship.objects.create(guardian=guardian, pupil=child, has_custody=True)
        self.counts["two_guardians"] += 2

        seats = [Planned(group, self.birth_year(group)) for group, size in classes for _ in range(size)]
        seats.remove(next(seat for seat in seats if seat.group.name == "7A"))
        seats.remove(next(seat for seat in seats if seat.group.name == "4A"))
        # Two families in 7A show the special cases: a pupil with protected identity,
        # and a pupil with one guardian who has no custody.
        special_cases = ["protected", "without_custody"]
        for index, seat in enumerate(seats):
            if seat.taken:
                continue
            seat.taken = True
            children = [seat]
            # About one family in eight has a younger child in another class.
            if self.random.random() < 0.125:
                younger = [s for s in seats[index + 1 : index + 80] if not s.taken and s.group != seat.group]
                if younger:
                    sibling_seat = self.random.choice(younger)
                    sibling_seat.taken = True
                    children.append(sibling_seat)
            case = special_cases.pop(0) if special_cases and seat.group.name == "7A" and len(children) == 1 else None
            family = self.random.choice(LAST_NAMES)
            pupils = []
            for child in children:
                pupil = self.person(child.birth_year, last_name=family, protected_identity=case == "protected")
                self.enrol(pupil, child.group)
                pupils.append(pupil)
            parent_year = min(child.birth_year for child in children) - self.random.randint(25, 40)
            same_name = self.random.random() < 0.8
            family_guardians = [(self.person(parent_year, last_name=family if same_name else None), True)]
            if case == "without_custody" or (case is None and self.random.random() < 0.65):
                second = self.person(parent_year + self.random.randint(-4, 4))
                family_guardians.append((second, case != "without_custody"))
            for guardian, custody in family_guardians:
                for pupil in pupils:
                    Guardianship.objects.create(guardian=guardian, pupil=pupil, has_custody=custody)
            with_custody = sum(custody for _, custody in family_guardians)
            self.counts["two_guardians" if with_custody == 2 else "one_guardian"] += len(pupils)
            if case:
                self.say(f"Special case {case}: {pupils[0].username} in 7A")
        self.counts["pupils"] = sum(len(pupils) for pupils in self.pupils_of.values())

    def build_teaching_groups(self, schools):
        solbacken, ekangen, norrvik = schools["solbacken"], schools["ekangen"], schools["norrvik"]
        classes = {group.name: group for group in self.pupils_of}

        # Fritidshem: most of the youngest pupils, fewer of the older ones.
        for name, class_names, share in [
            ("Fritids Ekorren", ["FA", "FB", "1A", "1B"], 0.8),
            ("Fritids Rådjuret", ["2A", "2B", "3A", "3B"], 0.6),
            ("Fritids Älgen", ["4A", "4B", "5A", "5B", "6A", "6B"], 0.25),
        ]:
            group = self.group(solbacken, name, SchoolForm.LEISURE_TIME_CENTRE, kind=PupilGroup.Kind.LEISURE)
            for class_name in class_names:
                for pupil in self.pupils_of[classes[class_name]]:
                    if pupil.username == "elev" or self.random.random() < share:
                        self.enrol(pupil, group)

        # Teaching groups drawn from the classes of one year.
        for school, name, form, year_level, class_names, share in [
            (ekangen, "Ma 7 fördjupning", SchoolForm.COMPULSORY, 7, ["7A", "7B"], 0.3),
            (ekangen, "Spanska 7", SchoolForm.COMPULSORY, 7, ["7A", "7B"], 0.5),
            (ekangen, "Tyska 8", SchoolForm.COMPULSORY, 8, ["8A", "8B"], 0.4),
            (ekangen, "Franska 9", SchoolForm.COMPULSORY, 9, ["9A", "9B"], 0.3),
            (ekangen, "Sva 8–9", SchoolForm.COMPULSORY, 8, ["8A", "8B", "9A", "9B"], 0.1),
            (ekangen, "Ma 9 repetition", SchoolForm.COMPULSORY, 9, ["9A", "9B"], 0.25),
            (norrvik, "Matematik 1c", SchoolForm.UPPER_SECONDARY, 1, ["NA26", "TE26"], 1.0),
            (norrvik, "Moderna språk 3", SchoolForm.UPPER_SECONDARY, 2, ["NA25", "SA25", "TE25"], 0.3),
            (norrvik, "Engelska 7", SchoolForm.UPPER_SECONDARY, 3, ["NA24", "SA24", "TE24"], 0.35),
            (norrvik, "Psykologi 2a", SchoolForm.UPPER_SECONDARY, 3, ["SA24"], 0.5),
        ]:
            group = self.group(school, name, form, year_level, kind=PupilGroup.Kind.TEACHING)
            for class_name in class_names:
                for pupil in self.pupils_of[classes[class_name]]:
                    if pupil.username == "elev" and name == "Spanska 7" or self.random.random() < share:
                        self.enrol(pupil, group)

    def build_staff(self, schools):
        groups_of = defaultdict(list)
        for group in PupilGroup.objects.filter(school__in=schools.values()).order_by("pk"):
            groups_of[group.school_id].append(group)

        for key, school in schools.items():
            self.staff(school, SchoolRole.Role.REKTOR, username="rektor" if key == "ekangen" else None)
            classes = [group for group in groups_of[school.pk] if group.kind == PupilGroup.Kind.CLASS]
            others = [group for group in groups_of[school.pk] if group.kind != PupilGroup.Kind.CLASS]
            if key == "ekangen":
                # The printed teacher and mentor share class 7A, so the demo shows both views of one class.
                larare = self.staff(school, first_name="Lena", last_name="Berglund", gender="F", username="larare")
                mentor = self.staff(school, first_name="Mats", last_name="Holm", gender="M", username="mentor")
                by_name = {group.name: group for group in groups_of[school.pk]}
                for name in ("7A", "7B", "8A", "Ma 7 fördjupning"):
                    self.assign(larare, by_name[name])
                self.assign(mentor, by_name["7A"], StaffAssignment.Role.MENTOR)
                self.assign(mentor, by_name["7A"])
                self.assign(mentor, by_name["Spanska 7"])
            # Every class has a mentor and a few subject teachers; every other group one teacher.
            teachers = [self.staff(school) for _ in range(max(4, len(classes)))]
            for index, group in enumerate(classes):
                if not StaffAssignment.objects.filter(group=group, role=StaffAssignment.Role.MENTOR).exists():
                    self.assign(teachers[index % len(teachers)], group, StaffAssignment.Role.MENTOR)
                for teacher in self.random.sample(teachers, 3):
                    self.assign(teacher, group)
            for group in others:
                if not group.staff_assignments.exists():
                    self.assign(self.random.choice(teachers), group)
            self.counts["staff"] += len(teachers) + 1

        admin = self.person(1975, "F", "Sandberg", "Åsa", username="admin", is_staff=True)
        for school in schools.values():
            SchoolRole.objects.create(user=admin, school=school, role=SchoolRole.Role.ADMIN)
        self.person(1970, "M", "Ek", "Sven", username="superadmin", is_staff=True, is_superuser=True)


def check_digit(nine_digits):
    """The Luhn check digit that completes YYMMDDNNN."""
    return next(digit for digit in range(10) if pnr.luhn_ok(f"{nine_digits}{digit}"))


def ascii_name(name):
    """'Åsa-Lena' → 'asa-lena' for readable usernames."""
    return unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode().replace(" ", "")


class Command(BaseCommand):
    help = "Fill the database with a fictional municipality and print demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Build everything, report, and roll back.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: every demo account has the same known password.")
        if Organiser.objects.filter(external_id=ORGANISER_ID).exists():
            if verbosity:
                self.stdout.write("The demo municipality already exists; nothing changed.")
                self.print_logins()
            return
        builder = Builder(self.stdout, verbosity)
        try:
            with transaction.atomic(), audiences.deferred():
                builder.build()
                if dry_run:
                    raise Rollback
        except Rollback:
            pass
        if verbosity:
            counts = builder.counts
            self.stdout.write(
                f"{'Would create' if dry_run else 'Created'} {counts['schools']} schools, {counts['groups']} groups, "
                f"{counts['pupils']} pupils ({counts['two_guardians']} with two guardians with custody, "
                f"{counts['one_guardian']} with one) and {counts['people']} people in all."
            )
            if not dry_run:
                self.print_logins()

    def print_logins(self):
        width = max(len(role) for role, _ in LOGINS)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins at {URL} (password for all: {PASSWORD})"))
        for role, username in LOGINS:
            self.stdout.write(f"  {role:<{width}}  {username}")
        self.stdout.write("")

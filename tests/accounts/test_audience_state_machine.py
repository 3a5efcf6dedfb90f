"""After any sequence of membership changes, the stored audiences and grants
equal the derivation, and the derivation says what the role model says.

Each membership change syncs only the audiences it touches (its scope); the
invariant compares against a full recomputation, so a scope that misses an
audience shows up here as drift.
"""

import datetime
from collections import defaultdict
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accounts import audiences
from accounts.models import (
    Enrolment,
    Guardianship,
    Organiser,
    PersonGroupObjectPermission,
    PupilGroup,
    School,
    SchoolForm,
    SchoolRole,
    StaffAssignment,
    User,
)

PEOPLE = 7
index = st.integers(min_value=0, max_value=1000)
when = st.sampled_from(["always", "ended", "starts_later"])


def dates(kind):
    today = timezone.localdate()
    return {
        "always": {"start_date": None, "end_date": None},
        "ended": {"start_date": None, "end_date": today - datetime.timedelta(days=1)},
        "starts_later": {"start_date": today + datetime.timedelta(days=1), "end_date": None},
    }[kind]


def pick(items, i):
    items = list(items)
    return items[i % len(items)] if items else None


def role_model(people):
    """The role model in plain words, from today's rows, independent of the audiences:
    staff see an active pupil currently enrolled in a group they currently teach or
    mentor, or in a group of a school they currently lead; a pupil's circle holds
    the active guardians with current custody of an active pupil.

    Returns (who may see whom, who is in whose circle) as sets of id pairs."""
    active = {person.pk for person in people if person.is_active}
    enrolled = set(Enrolment.objects.current().values_list("pupil_id", "group_id", "group__school_id"))
    teaches = set(StaffAssignment.objects.current().values_list("staff_id", "group_id"))
    leads = set(
        SchoolRole.objects.current()
        .filter(role__in=[SchoolRole.Role.REKTOR, SchoolRole.Role.ADMIN])
        .values_list("user_id", "school_id")
    )
    sees = {
        (staff, pupil)
        for pupil, group, school in enrolled
        for staff in active
        if pupil in active and ((staff, group) in teaches or (staff, school) in leads)
    }
    custody = Guardianship.objects.current().filter(has_custody=True).values_list("guardian_id", "pupil_id")
    circles = {(guardian, pupil) for guardian, pupil in custody if guardian in active and pupil in active}
    return sees, circles


class MembershipChanges(RuleBasedStateMachine):
    world = None  # (schools, groups, people ids), built once per test by ``build_world``

    def __init__(self):
        super().__init__()
        # Every example starts from the same small world and is rolled back afterwards.
        self.savepoint = transaction.savepoint()
        schools, groups, people = self.world
        self.schools, self.groups, self.people = list(schools), list(groups), list(people)

    def teardown(self):
        # Once per example, through the public paths: the command the nightly
        # job and CI run, and guardian's own query as views will call it.
        try:
            call_command("sync_permissions", "--check", stdout=StringIO())
            sees, _ = role_model(User.objects.all())
            for person in User.objects.all():
                visible = get_objects_for_user(person, "accounts.view_user", klass=User, accept_global_perms=False)
                assert {pupil.pk for pupil in visible} == {pupil for staff, pupil in sees if staff == person.pk}
        finally:
            transaction.savepoint_rollback(self.savepoint)

    def person(self, i):
        return User.objects.get(pk=self.people[i % len(self.people)])

    # Enrolments ------------------------------------------------------------------

    @rule(pupil=index, group=index, kind=when)
    def enrol(self, pupil, group, kind):
        Enrolment.objects.create(pupil=self.person(pupil), group=pick(self.groups, group), **dates(kind))

    @rule(enrolment=index)
    def unenrol(self, enrolment):
        if row := pick(Enrolment.objects.order_by("pk"), enrolment):
            row.delete()

    @rule(enrolment=index, group=index)
    def move_pupil(self, enrolment, group):
        if row := pick(Enrolment.objects.order_by("pk"), enrolment):
            row.group = pick(self.groups, group)
            row.save()

    @rule(enrolment=index, kind=when)
    def redate_enrolment(self, enrolment, kind):
        if row := pick(Enrolment.objects.order_by("pk"), enrolment):
            for field, value in dates(kind).items():
                setattr(row, field, value)
            row.save()

    # Teachers and mentors ------------------------------------------------------------

    @rule(staff=index, group=index, role=st.sampled_from(StaffAssignment.Role.values), kind=when)
    def assign(self, staff, group, role, kind):
        StaffAssignment.objects.update_or_create(
            staff=self.person(staff), group=pick(self.groups, group), role=role, defaults=dates(kind)
        )

    @rule(assignment=index)
    def unassign(self, assignment):
        if row := pick(StaffAssignment.objects.order_by("pk"), assignment):
            row.delete()

    @rule(assignment=index, staff=index)
    def hand_over_assignment(self, assignment, staff):
        row = pick(StaffAssignment.objects.order_by("pk"), assignment)
        new_staff = self.person(staff)
        if row and not StaffAssignment.objects.filter(staff=new_staff, group=row.group, role=row.role).exists():
            row.staff = new_staff
            row.save()

    # Custody -----------------------------------------------------------------------

    @rule(guardian=index, pupil=index, custody=st.booleans(), kind=when)
    def set_custody(self, guardian, pupil, custody, kind):
        guardian, pupil = self.person(guardian), self.person(pupil)
        if guardian != pupil:
            Guardianship.objects.update_or_create(
                guardian=guardian, pupil=pupil, defaults={"has_custody": custody, **dates(kind)}
            )

    @rule(guardianship=index)
    def end_guardianship(self, guardianship):
        if row := pick(Guardianship.objects.order_by("pk"), guardianship):
            row.delete()

    # School roles and groups -----------------------------------------------------------

    @rule(user=index, school=index, role=st.sampled_from(SchoolRole.Role.values), kind=when)
    def add_school_role(self, user, school, role, kind):
        SchoolRole.objects.update_or_create(
            user=self.person(user), school=pick(self.schools, school), role=role, defaults=dates(kind)
        )

    @rule(school_role=index)
    def remove_school_role(self, school_role):
        if row := pick(SchoolRole.objects.order_by("pk"), school_role):
            row.delete()

    @rule(group=index, school=index)
    def move_group_to_school(self, group, school):
        row = PupilGroup.objects.get(pk=pick(self.groups, group).pk)
        row.school = pick(self.schools, school)
        row.save()

    # People ------------------------------------------------------------------------

    @rule(user=index)
    def toggle_active(self, user):
        person = self.person(user)
        person.is_active = not person.is_active
        person.save()

    @rule(user=index)
    def toggle_protected_identity(self, user):
        person = self.person(user)
        person.protected_identity = not person.protected_identity
        person.save()

    @rule(user=index)
    def replace_person(self, user):
        # Deletion cascades through every membership of the person.
        position = user % len(self.people)
        User.objects.get(pk=self.people[position]).delete()
        self.people[position] = User.objects.create(username=f"person{PEOPLE + user}-{position}").pk

    # Invariants --------------------------------------------------------------------

    @invariant()
    def stored_grants_equal_the_derivation(self):
        drift = audiences.compute_drift()
        assert not drift, drift

    @invariant()
    def access_is_what_the_role_model_says(self):
        sees, circles = role_model(User.objects.all())
        members = defaultdict(set)
        for name, user_id in User.groups.through.objects.filter(group__name__startswith=audiences.PREFIX).values_list(
            "group__name", "user_id"
        ):
            members[name].add(user_id)
        # Who may view whom, the way guardian resolves it: permission on the
        # object granted to an audience the user is in.
        granted = PersonGroupObjectPermission.objects.filter(permission__codename="view_user")
        may_view = {
            (user_id, pupil_id)
            for name, pupil_id in granted.values_list("group__name", "content_object_id")
            for user_id in members[name]
        }
        assert may_view == sees
        in_circle = {
            (user_id, int(name.split(":")[2]))
            for name, user_ids in members.items()
            if name.endswith(":circle")
            for user_id in user_ids
        }
        assert {(user, pupil) for user, pupil in in_circle if user != pupil} == circles
        # The pupil is in their own circle while active and enrolled (now or ever).
        ever_enrolled = set(Enrolment.objects.filter(pupil__is_active=True).values_list("pupil_id", flat=True))
        assert {pupil for user, pupil in in_circle if user == pupil} == ever_enrolled


def build_world():
    organiser = Organiser.objects.create(name="Provkommun")
    schools = [School.objects.create(organiser=organiser, name=name, school_forms=["GR"]) for name in ("Ek", "Björk")]
    groups = [
        PupilGroup.objects.create(
            school=school, name=name, school_form=SchoolForm.COMPULSORY, year_level=7, school_year=2026
        )
        for school, name in [(schools[0], "7A"), (schools[0], "7B"), (schools[1], "7C")]
    ]
    people = [User.objects.create(username=f"person{n}").pk for n in range(PEOPLE)]
    return schools, groups, people


def test_stored_audiences_and_grants_follow_any_sequence_of_membership_changes(db, monkeypatch):
    monkeypatch.setattr(MembershipChanges, "world", build_world())
    run_state_machine_as_test(
        MembershipChanges,
        settings=settings(
            max_examples=20,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            database=None,
        ),
    )

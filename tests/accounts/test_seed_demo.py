"""The demo municipality, seeded once for this module and rolled back afterwards."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from guardian.shortcuts import get_objects_for_user

from accounts import personnummer as pnr
from accounts.management.commands import seed_demo
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

ROLES = ["larare", "mentor", "rektor", "admin", "elev", "vardnadshavare"]


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker):
    # The same fast hasher as the conftest's function-scoped fixture, which is not active yet here.
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PASSWORD_HASHERS=hashers), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seed_output, db):
    return seed_output


def pupils():
    return User.objects.filter(enrolments__group__kind=PupilGroup.Kind.CLASS).distinct()


def test_it_builds_three_or_more_schools_covering_all_four_school_forms(seeded):
    schools = School.objects.filter(organiser__external_id=seed_demo.ORGANISER_ID)
    assert schools.count() >= 3
    assert {form for school in schools for form in school.school_forms} == set(SchoolForm.values)
    groups = PupilGroup.objects.all()
    assert {group.school_form for group in groups} == set(SchoolForm.values)
    for group in groups:
        assert group.school_form in group.school.school_forms


def test_it_builds_thirty_or_more_groups_of_every_kind_for_the_2026_school_year(seeded):
    groups = PupilGroup.objects.all()
    assert groups.count() >= 30
    assert {group.kind for group in groups} == set(PupilGroup.Kind.values)
    assert {group.school_year for group in groups} == {2026}
    classes = groups.filter(kind=PupilGroup.Kind.CLASS)
    assert all(group.year_level is not None for group in classes)
    assert set(classes.filter(school_form=SchoolForm.COMPULSORY).values_list("year_level", flat=True)) == set(
        range(1, 10)
    )


def test_it_enrols_six_hundred_or_more_pupils_each_in_one_class(seeded):
    assert pupils().count() >= 600
    classes_per_pupil = Counter(
        Enrolment.objects.filter(group__kind=PupilGroup.Kind.CLASS).values_list("pupil_id", flat=True)
    )
    assert set(classes_per_pupil.values()) == {1}


def test_pupils_are_born_to_match_their_year_level(seeded):
    for enrolment in Enrolment.objects.filter(group__kind=PupilGroup.Kind.CLASS).select_related("pupil", "group"):
        group = enrolment.group
        age_at_new_year = 2026 - enrolment.pupil.birth_date.year
        if group.school_form == SchoolForm.UPPER_SECONDARY:
            assert age_at_new_year == 15 + group.year_level, (enrolment, enrolment.pupil.birth_date)
        else:
            assert age_at_new_year == 6 + group.year_level, (enrolment, enrolment.pupil.birth_date)


def test_every_pupil_has_one_or_two_guardians_with_custody_and_both_kinds_occur(seeded):
    custodians = Counter(
        Guardianship.objects.filter(has_custody=True, pupil__in=pupils()).values_list("pupil_id", flat=True)
    )
    assert len(custodians) == pupils().count()
    assert set(custodians.values()) == {1, 2}
    assert Counter(custodians.values())[2] > Counter(custodians.values())[1] > 50


def test_some_guardians_have_several_children(seeded):
    children = Counter(Guardianship.objects.values_list("guardian_id", flat=True))
    assert max(children.values()) >= 2


def test_one_guardian_has_no_custody(seeded):
    without = Guardianship.objects.filter(has_custody=False)
    assert without.count() == 1
    assert Guardianship.objects.filter(pupil=without.get().pupil, has_custody=True).count() == 1


def test_one_pupil_has_protected_identity(seeded):
    protected = User.objects.filter(protected_identity=True)
    assert protected.count() == 1
    assert protected.get() in pupils()


def test_every_personnummer_is_valid_unique_and_matches_the_birth_date(seeded):
    numbers = list(User.objects.values_list("personnummer", "birth_date", "legal_gender"))
    assert all(number for number, _, _ in numbers)
    assert len({number for number, _, _ in numbers}) == len(numbers)
    for number, birth_date, legal_gender in numbers:
        parsed = pnr.parse(number)
        assert parsed.normalised == number
        assert parsed.birth_date == birth_date
        assert parsed.legal_gender == legal_gender


def test_every_group_has_a_teacher_and_every_class_a_mentor(seeded):
    for group in PupilGroup.objects.all():
        assert group.staff_assignments.exists(), group
        if group.kind == PupilGroup.Kind.CLASS:
            assert group.staff_assignments.filter(role=StaffAssignment.Role.MENTOR).exists(), group


def test_every_school_has_a_rektor_and_the_admin_manages_them_all(seeded):
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    for school in School.objects.all():
        assert school.staff_roles.filter(role=SchoolRole.Role.REKTOR).count() == 1
        assert school.staff_roles.filter(role=SchoolRole.Role.ADMIN, user=admin).exists()
    assert User.objects.filter(is_superuser=True).count() == 1


def test_permissions_match_the_memberships_afterwards(seeded):
    call_command("sync_permissions", "--check", stdout=StringIO())


def test_the_output_names_the_url_the_password_and_a_login_for_each_role(seeded):
    assert "http://127.0.0.1:8000" in seeded
    assert seed_demo.PASSWORD in seeded
    for username in ROLES:
        assert f"  {username}\n" in seeded


def test_the_printed_logins_hold_the_roles_they_are_printed_for(seeded):
    people = {username: User.objects.get(username=username) for username in ROLES}
    elev = people["elev"]
    assert people["larare"].staff_assignments.filter(group__enrolments__pupil=elev).exists()
    assert (
        people["mentor"]
        .staff_assignments.filter(role=StaffAssignment.Role.MENTOR, group__enrolments__pupil=elev)
        .exists()
    )
    assert (
        people["rektor"]
        .school_roles.filter(role=SchoolRole.Role.REKTOR, school__groups__enrolments__pupil=elev)
        .exists()
    )
    assert Guardianship.objects.filter(guardian=people["vardnadshavare"], pupil=elev, has_custody=True).exists()
    assert people["larare"].check_password(seed_demo.PASSWORD)


def test_the_demo_teacher_sees_their_pupils_and_not_the_other_schools(seeded):
    larare = User.objects.get(username="larare")
    visible = get_objects_for_user(larare, "accounts.view_user", klass=User, accept_global_perms=False)
    assert User.objects.get(username="elev") in visible
    assert visible.count() >= 25
    assert not visible.exclude(enrolments__group__school__name="Ekängsskolan").exists()


def test_running_it_again_changes_nothing_and_prints_the_logins_again(seeded):
    counts = (User.objects.count(), PupilGroup.objects.count(), Enrolment.objects.count())
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    assert "already exists" in out.getvalue()
    assert "  vardnadshavare\n" in out.getvalue()
    assert (User.objects.count(), PupilGroup.objects.count(), Enrolment.objects.count()) == counts


def test_the_same_seed_gives_the_same_people():
    first, second = (seed_demo.Builder(StringIO(), 0) for _ in range(2))
    numbers = [(first.new_personnummer(2013, "F"), second.new_personnummer(2013, "F")) for _ in range(50)]
    assert all(a == b for a, b in numbers)
    assert all(pnr.parse(a).birth_date.year == 2013 and pnr.parse(a).legal_gender == "F" for a, _ in numbers)


def test_it_refuses_to_run_with_debug_off(db, settings, monkeypatch):
    monkeypatch.setattr(seed_demo, "ORGANISER_ID", "demo:another")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not Organiser.objects.filter(external_id="demo:another").exists()


def test_a_dry_run_rolls_everything_back(db, settings, monkeypatch):
    # A stand-in for the full build, which the seeded tests above cover.
    def small_build(builder):
        Organiser.objects.create(name="Prov kommun", external_id="demo:another")
        builder.person(2013, username="dry-run-pupil")

    monkeypatch.setattr(seed_demo, "ORGANISER_ID", "demo:another")
    monkeypatch.setattr(seed_demo.Builder, "build", small_build)
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", "--dry-run", stdout=out)

    assert "Would create" in out.getvalue()
    assert not Organiser.objects.filter(external_id="demo:another").exists()
    assert not User.objects.filter(username="dry-run-pupil").exists()


def test_birth_years_follow_the_swedish_school_start_ages():
    def group(form, level):
        return PupilGroup(school_form=form, year_level=level, school_year=2026)

    assert seed_demo.Builder.birth_year(group(SchoolForm.PRESCHOOL_CLASS, 0)) == 2020
    assert seed_demo.Builder.birth_year(group(SchoolForm.COMPULSORY, 9)) == 2011
    assert seed_demo.Builder.birth_year(group(SchoolForm.UPPER_SECONDARY, 1)) == 2010

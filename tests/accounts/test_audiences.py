"""Membership changes take effect at once, through audience membership alone."""

import datetime

import pytest
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from accounts import audiences
from accounts.models import Enrolment, Guardianship, PupilGroup, SchoolForm, SchoolRole, StaffAssignment, User

pytestmark = pytest.mark.django_db


def fresh(user):
    # Django caches permissions on the user object; every check starts from the database.
    return User.objects.get(pk=user.pk)


def visible_people(user):
    return set(get_objects_for_user(fresh(user), "accounts.view_user", klass=User, accept_global_perms=False))


def audience_names(user):
    return set(fresh(user).groups.filter(name__startswith=audiences.PREFIX).values_list("name", flat=True))


def assert_no_drift():
    drift = audiences.compute_drift()
    assert not drift, drift.summary()


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


# Staff ------------------------------------------------------------------------


def test_a_teacher_sees_the_pupils_they_teach_and_nobody_else(cast, teacher, pupil, classmate, other_pupil):
    assert visible_people(teacher) == {pupil, classmate}
    assert fresh(teacher).has_perm("accounts.view_user", pupil)
    assert not fresh(teacher).has_perm("accounts.view_user", other_pupil)
    assert_no_drift()


def test_a_teacher_may_see_the_roster_of_their_group_but_a_pupil_only_the_group(teacher, pupil, group, other_group):
    assert fresh(teacher).has_perm("accounts.view_roster", group)
    assert fresh(pupil).has_perm("accounts.view_pupilgroup", group)
    assert not fresh(pupil).has_perm("accounts.view_roster", group)
    assert not fresh(teacher).has_perm("accounts.view_pupilgroup", other_group)


def test_a_pupil_who_changes_class_moves_from_the_old_teachers_to_the_new(
    teacher, other_teacher, pupil, group, other_group
):
    enrolment = pupil.enrolments.get()
    enrolment.group = other_group
    enrolment.save()

    assert pupil not in visible_people(teacher)
    assert not fresh(teacher).has_perm("accounts.view_user", pupil)
    assert pupil in visible_people(other_teacher)
    assert fresh(other_teacher).has_perm("accounts.view_user", pupil)
    assert audiences.group_pupils(group.pk) not in audience_names(pupil)
    assert audiences.group_pupils(other_group.pk) in audience_names(pupil)
    assert_no_drift()


def test_a_pupil_who_changes_class_by_a_new_enrolment_moves_too(teacher, other_teacher, pupil, other_group):
    pupil.enrolments.get().delete()
    Enrolment.objects.create(pupil=pupil, group=other_group)

    assert pupil not in visible_people(teacher)
    assert pupil in visible_people(other_teacher)
    assert_no_drift()


def test_a_pupil_whose_last_enrolment_is_deleted_is_no_longer_seen_by_the_old_teachers(teacher, rektor, pupil):
    pupil.enrolments.get().delete()

    assert pupil not in visible_people(teacher)
    assert pupil not in visible_people(rektor)
    assert audiences.pupil_circle(pupil.pk) not in audience_names(pupil)
    assert_no_drift()


def test_a_teacher_who_leaves_a_group_loses_sight_of_its_pupils(teacher, mentor, pupil, classmate, group):
    StaffAssignment.objects.get(staff=teacher, group=group).delete()

    assert visible_people(teacher) == set()
    assert not fresh(teacher).has_perm("accounts.view_roster", group)
    assert visible_people(mentor) == {pupil, classmate}
    assert_no_drift()


def test_a_teacher_whose_assignment_ended_yesterday_loses_sight_when_it_is_saved(teacher, pupil, group):
    assignment = StaffAssignment.objects.get(staff=teacher, group=group)
    assignment.end_date = yesterday()
    assignment.save()

    assert pupil not in visible_people(teacher)
    assert_no_drift()


def test_an_assignment_that_starts_tomorrow_gives_no_access_today(stranger, pupil, group):
    StaffAssignment.objects.create(staff=stranger, group=group, start_date=tomorrow())

    assert visible_people(stranger) == set()
    assert_no_drift()


def test_a_rektor_sees_every_pupil_of_the_school_and_no_other(rektor, school_admin, pupil, classmate, other_pupil):
    assert visible_people(rektor) == {pupil, classmate}
    assert visible_people(school_admin) == {pupil, classmate}


def test_a_rektor_sees_a_pupil_enrolled_in_a_new_group_of_the_school_at_once(rektor, school, stranger):
    new_group = PupilGroup.objects.create(
        school=school, name="FA", school_form=SchoolForm.PRESCHOOL_CLASS, year_level=0, school_year=2026
    )
    Enrolment.objects.create(pupil=stranger, group=new_group)

    assert stranger in visible_people(rektor)
    assert fresh(rektor).has_perm("accounts.view_roster", new_group)
    assert_no_drift()


def test_a_rektor_who_leaves_the_school_loses_sight_of_its_pupils(rektor, school, pupil):
    SchoolRole.objects.get(user=rektor, school=school).delete()

    assert visible_people(rektor) == set()
    assert audiences.school_leaders(school.pk) not in audience_names(rektor)
    assert_no_drift()


def test_a_new_rektor_sees_the_schools_pupils_at_once(other_school, other_pupil, stranger):
    SchoolRole.objects.create(user=stranger, school=other_school, role=SchoolRole.Role.REKTOR)

    assert visible_people(stranger) == {other_pupil}
    assert fresh(stranger).has_perm("accounts.change_school", other_school)
    assert_no_drift()


def test_a_group_moved_to_another_school_is_seen_by_the_new_schools_rektor(
    rektor, other_school, group, pupil, classmate, stranger
):
    new_rektor = stranger
    SchoolRole.objects.create(user=new_rektor, school=other_school, role=SchoolRole.Role.REKTOR)
    group.school = other_school
    group.save()

    assert visible_people(rektor) == set()
    assert visible_people(new_rektor) == {pupil, classmate}
    assert_no_drift()


def test_a_mentor_is_in_the_mentor_audience_of_the_mentor_groups_pupils(mentor, teacher, pupil):
    assert audiences.pupil_mentors(pupil.pk) in audience_names(mentor)
    assert audiences.pupil_mentors(pupil.pk) not in audience_names(teacher)


# Pupils and guardians -----------------------------------------------------------


def test_a_pupil_and_their_guardian_with_custody_form_the_pupils_circle(pupil, guardian, guardian_without_custody):
    circle = audiences.pupil_circle(pupil.pk)
    assert circle in audience_names(pupil)
    assert circle in audience_names(guardian)
    assert circle not in audience_names(guardian_without_custody)
    assert visible_people(guardian) == set()  # the circle is for documentation, not for the person record


def test_a_guardian_who_loses_custody_leaves_the_pupils_circle(pupil, guardian, group):
    guardianship = Guardianship.objects.get(guardian=guardian, pupil=pupil)
    guardianship.has_custody = False
    guardianship.save()

    assert audience_names(guardian) == set()
    assert audiences.pupil_circle(pupil.pk) in audience_names(pupil)
    assert_no_drift()


def test_a_guardian_given_custody_joins_the_circle_and_the_groups_guardians(pupil, guardian_without_custody, group):
    guardianship = Guardianship.objects.get(guardian=guardian_without_custody, pupil=pupil)
    guardianship.has_custody = True
    guardianship.save()

    names = audience_names(guardian_without_custody)
    assert {audiences.pupil_circle(pupil.pk), audiences.group_guardians(group.pk)} <= names
    assert_no_drift()


def test_a_deleted_guardianship_ends_the_guardians_access(pupil, guardian):
    Guardianship.objects.get(guardian=guardian, pupil=pupil).delete()

    assert audience_names(guardian) == set()
    assert_no_drift()


def test_a_pupil_enrolled_after_their_guardian_was_registered_brings_the_guardian_into_the_group(
    stranger, other_group, group
):
    guardian_of_newcomer = User.objects.create(username="nina")
    Guardianship.objects.create(guardian=guardian_of_newcomer, pupil=stranger)
    Enrolment.objects.create(pupil=stranger, group=group)

    assert audiences.group_guardians(group.pk) in audience_names(guardian_of_newcomer)
    assert_no_drift()


# Activation and identity ----------------------------------------------------------


def test_a_deactivated_teacher_drops_out_of_every_audience_and_returns_when_reactivated(teacher, pupil):
    before = audience_names(teacher)
    teacher.is_active = False
    teacher.save()

    assert audience_names(teacher) == set()
    assert_no_drift()

    teacher.is_active = True
    teacher.save()
    assert audience_names(teacher) == before
    assert pupil in visible_people(teacher)


def test_a_deactivated_pupil_leaves_their_audiences_and_takes_their_guardians_with_them(
    pupil, guardian, teacher, group
):
    pupil.is_active = False
    pupil.save()

    assert audience_names(pupil) == set()
    assert audience_names(guardian) == set()
    assert pupil not in visible_people(teacher)
    assert_no_drift()


def test_a_deactivated_guardian_leaves_the_circle(pupil, guardian):
    guardian.is_active = False
    guardian.save()

    assert audience_names(guardian) == set()
    assert_no_drift()


def test_protected_identity_leaves_staff_access_unchanged(cast, pupil, teacher, mentor, rektor):
    before = {name: audience_names(person) for name, person in cast.items() if person}
    pupil.protected_identity = True
    pupil.save()

    assert {name: audience_names(person) for name, person in cast.items() if person} == before
    for staff in (teacher, mentor, rektor):
        assert fresh(staff).has_perm("accounts.view_user", pupil)
    assert_no_drift()


def test_deleting_a_staff_member_with_roles_and_assignments_succeeds_and_leaves_no_drift(teacher, mentor):
    teacher.delete()
    mentor.delete()

    assert not User.objects.filter(username__in=["tove", "magnus"]).exists()
    assert_no_drift()


def test_deleting_a_pupil_with_guardians_succeeds_and_leaves_no_drift(pupil, guardian, teacher):
    pupil.delete()

    assert audience_names(guardian) == set()
    assert visible_people(teacher) == set()
    assert_no_drift()


def test_deleting_a_group_removes_its_audiences_members(school, group, teacher, pupil, classmate, guardian):
    group.delete()

    assert audience_names(teacher) == {audiences.school_staff(school.pk)}
    # Custody does not depend on the group.
    assert audience_names(guardian) == {audiences.pupil_circle(pupil.pk), audiences.pupil_guardians(pupil.pk)}
    assert_no_drift()


# Deferred syncing ------------------------------------------------------------------


@pytest.fixture
def sync_calls(monkeypatch):
    calls = []
    real_sync = audiences.sync

    def counting_sync(scope=None):
        calls.append(scope)
        return real_sync(scope)

    monkeypatch.setattr(audiences, "sync", counting_sync)
    return calls


def test_every_membership_change_syncs_at_once_outside_deferred(sync_calls, group, stranger):
    sync_calls.clear()
    Enrolment.objects.create(pupil=stranger, group=group)
    StaffAssignment.objects.create(staff=User.objects.create(username="ny"), group=group)
    assert len(sync_calls) == 2


def test_deferred_collects_changes_and_syncs_once_at_the_end(sync_calls, teacher, group, other_group):
    newcomers = [User.objects.create(username=f"ny{n}") for n in range(3)]
    sync_calls.clear()

    with audiences.deferred():
        for newcomer in newcomers:
            Enrolment.objects.create(pupil=newcomer, group=group)
        Enrolment.objects.create(pupil=newcomers[0], group=other_group)
        assert sync_calls == []
        assert visible_people(teacher).isdisjoint(newcomers)

    assert len(sync_calls) == 1
    assert set(newcomers) <= visible_people(teacher)
    assert {n.pk for n in newcomers} <= sync_calls[0].pupils
    assert {group.pk, other_group.pk} <= sync_calls[0].groups
    assert_no_drift()


def test_nested_deferred_blocks_sync_once_at_the_outer_end(sync_calls, group):
    sync_calls.clear()
    with audiences.deferred():
        with audiences.deferred():
            Enrolment.objects.create(pupil=User.objects.create(username="ny"), group=group)
        assert sync_calls == []
    assert len(sync_calls) == 1


def test_an_error_inside_deferred_skips_the_sync_and_leaves_syncing_immediate_again(sync_calls, group):
    sync_calls.clear()
    with pytest.raises(RuntimeError), audiences.deferred():
        Enrolment.objects.create(pupil=User.objects.create(username="ny"), group=group)
        raise RuntimeError("import failed")
    assert sync_calls == []

    Enrolment.objects.create(pupil=User.objects.create(username="ny2"), group=group)
    assert len(sync_calls) == 1

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.utils import timezone

from accounts import audiences
from accounts.models import Enrolment, PersonGroupObjectPermission, StaffAssignment, User

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("sync_permissions", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def check_fails():
    with pytest.raises(CommandError) as error:
        run("--check")
    return str(error.value)


@pytest.fixture
def everyone(cast):
    return cast


@pytest.fixture
def removed_grant(everyone, pupil):
    """The grant that lets the pupil's staff see the pupil, deleted behind the role model's back."""
    PersonGroupObjectPermission.objects.filter(
        group__name=audiences.pupil_staff(pupil.pk), content_object=pupil
    ).delete()
    return pupil


@pytest.fixture
def intruder(everyone, stranger, group):
    """A stranger put straight into a group's teacher audience."""
    stranger.groups.add(AuthGroup.objects.get(name=audiences.group_teachers(group.pk)))
    return stranger


def test_check_passes_after_ordinary_membership_changes(everyone, pupil, other_group, guardian, teacher):
    enrolment = pupil.enrolments.get()
    enrolment.group = other_group
    enrolment.save()
    guardian.guardianships.update_or_create(pupil=pupil, defaults={"has_custody": False})
    teacher.is_active = False
    teacher.save()

    assert "No drift" in run("--check")


def test_check_fails_and_names_a_deleted_grant(removed_grant):
    message = check_fails()
    assert "1 missing grants" in message
    assert f"{audiences.pupil_staff(removed_grant.pk)}: accounts.view_user on accounts.User {removed_grant.pk}" in run(
        "--dry-run"
    )


def test_check_fails_and_names_someone_added_to_an_audience_by_hand(intruder, group):
    assert "1 extra audience members" in check_fails()
    assert f"user {intruder.pk} in {audiences.group_teachers(group.pk)}" in run("--dry-run")


def test_the_command_line_exits_with_an_error_on_drift(intruder, capsys):
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "sync_permissions", "--check"])
    assert exit_.value.code != 0
    assert "drifted" in capsys.readouterr().err


def test_check_notices_an_assignment_that_ended_since_the_last_run(everyone, teacher, pupil, group, monkeypatch):
    today = timezone.localdate()
    assignment = StaffAssignment.objects.get(staff=teacher, group=group)
    assignment.end_date = today
    assignment.save()
    assert "No drift" in run("--check")

    # Tomorrow the assignment is over, but nothing was saved to say so.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))
    message = check_fails()
    assert "extra audience members" in message

    run()
    assert not User.objects.get(pk=teacher.pk).has_perm("accounts.view_user", pupil)
    assert "No drift" in run("--check")


def test_check_notices_an_enrolment_that_starts_today(everyone, other_teacher, stranger, other_group, monkeypatch):
    today = timezone.localdate()
    Enrolment.objects.create(pupil=stranger, group=other_group, start_date=today + datetime.timedelta(days=1))
    assert not User.objects.get(pk=other_teacher.pk).has_perm("accounts.view_user", stranger)

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))
    check_fails()
    run()
    assert User.objects.get(pk=other_teacher.pk).has_perm("accounts.view_user", stranger)


def test_a_run_repairs_every_kind_of_drift(removed_grant, intruder, teacher, group):
    # Also a member missing from an audience, and a grant nobody derived.
    teacher.groups.remove(AuthGroup.objects.get(name=audiences.group_teachers(group.pk)))
    stray_audience = AuthGroup.objects.get(name=audiences.pupil_circle(removed_grant.pk))
    PersonGroupObjectPermission.objects.create(
        group=stray_audience,
        permission=PersonGroupObjectPermission.objects.first().permission,
        content_object=removed_grant,
    )
    message = check_fails()
    assert "1 missing audience members, 1 extra audience members, 1 missing grants, 1 extra grants" in message

    output = run()
    assert "Repaired" in output
    assert "No drift" in run("--check")
    assert not audiences.compute_drift()
    assert not User.objects.get(pk=intruder.pk).groups.exists()


def test_dry_run_reports_but_changes_nothing(removed_grant, intruder):
    before = audiences.compute_drift()

    output = run("--dry-run")

    assert "Would repair" in output
    assert "nothing changed" in output
    assert audiences.compute_drift() == before


def test_a_run_without_drift_says_so_and_changes_nothing(everyone):
    assert "Nothing to change" in run()


def test_verbosity_zero_prints_nothing(removed_grant):
    out = StringIO()
    call_command("sync_permissions", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert not audiences.compute_drift()


def test_a_long_drift_is_shortened_unless_asked_for_in_full(everyone, school):
    for n in range(12):
        User.objects.create(username=f"extra{n}").groups.add(
            AuthGroup.objects.get(name=audiences.school_staff(school.pk))
        )

    short = run("--dry-run")
    assert "12 extra audience members:" in short
    assert "… and 2 more" in short

    out = StringIO()
    call_command("sync_permissions", "--dry-run", verbosity=2, stdout=out)
    assert out.getvalue().count(f" in {audiences.school_staff(school.pk)}") == 12


def test_check_and_dry_run_cannot_be_combined(db):
    with pytest.raises(CommandError):
        run("--check", "--dry-run")


@pytest.mark.parametrize("threshold", [1, 10_000])
def test_large_repairs_write_the_same_rows_as_small_ones(everyone, pupil, teacher, monkeypatch, threshold):
    # On PostgreSQL, sets above the threshold are written by COPY through a scratch table.
    expected_members = set(User.groups.through.objects.values_list("group_id", "user_id"))
    expected_grants = set(
        PersonGroupObjectPermission.objects.values_list("group_id", "permission_id", "content_object_id")
    )
    assert expected_members and expected_grants
    User.groups.through.objects.all().delete()
    PersonGroupObjectPermission.objects.all().delete()
    monkeypatch.setattr(audiences, "COPY_THRESHOLD", threshold)

    drift = audiences.sync()

    assert drift.summary()["missing_members"] == len(expected_members)
    assert set(User.groups.through.objects.values_list("group_id", "user_id")) == expected_members
    assert (
        set(PersonGroupObjectPermission.objects.values_list("group_id", "permission_id", "content_object_id"))
        == expected_grants
    )
    assert not audiences.compute_drift()
    assert User.objects.get(pk=teacher.pk).has_perm("accounts.view_user", pupil)


def test_a_large_insert_skips_rows_that_exist_already(everyone, teacher, group, monkeypatch):
    # Another transaction may have added the same membership since the drift was computed.
    monkeypatch.setattr(audiences, "COPY_THRESHOLD", 1)
    audience = AuthGroup.objects.get(name=audiences.group_teachers(group.pk))
    row = (audience.pk, teacher.pk)

    audiences._insert_rows(User.groups.through, ("group_id", "user_id"), [row, row])

    assert User.groups.through.objects.filter(group_id=audience.pk, user_id=teacher.pk).count() == 1

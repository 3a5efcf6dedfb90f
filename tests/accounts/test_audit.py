"""Every write to a person or a membership leaves an audit entry naming who did it."""

import json

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry

from accounts.models import Enrolment, Guardianship, User

pytestmark = pytest.mark.django_db


def entries_for(instance, action=None):
    entries = LogEntry.objects.get_for_object(instance)
    return entries if action is None else entries.filter(action=action)


def only_entry(instance, action):
    entries = list(entries_for(instance, action))
    assert len(entries) == 1, entries
    return entries[0]


def everything_logged():
    """All stored audit text, to search for what must never be in it."""
    return json.dumps(
        list(LogEntry.objects.values("changes", "changes_text", "serialized_data", "additional_data", "object_repr")),
        default=str,
    )


def test_creating_updating_and_deleting_a_person_is_logged_with_the_acting_user(school_admin):
    with set_actor(school_admin):
        person = User.objects.create(username="nyelev", first_name="Ny", last_name="Elev")
        person.last_name = "Elevsson"
        person.save()
        person_id = person.pk
        person.delete()

    created = LogEntry.objects.get(content_type__model="user", object_id=person_id, action=LogEntry.Action.CREATE)
    updated = LogEntry.objects.get(content_type__model="user", object_id=person_id, action=LogEntry.Action.UPDATE)
    deleted = LogEntry.objects.get(content_type__model="user", object_id=person_id, action=LogEntry.Action.DELETE)
    assert {created.actor, updated.actor, deleted.actor} == {school_admin}
    assert created.changes_dict["username"] == ["None", "nyelev"]
    assert updated.changes_dict == {"last_name": ["Elev", "Elevsson"]}


def test_a_change_made_without_an_acting_user_is_logged_without_one(pupil):
    pupil.first_name = "Pia-Lena"
    pupil.save()

    assert only_entry(pupil, LogEntry.Action.UPDATE).actor is None


def test_an_enrolment_is_logged_on_create_update_and_delete(school_admin, stranger, group, other_group):
    with set_actor(school_admin):
        enrolment = Enrolment.objects.create(pupil=stranger, group=group)
        enrolment.group = other_group
        enrolment.save()
        enrolment_id = enrolment.pk
        enrolment.delete()

    entries = LogEntry.objects.filter(content_type__model="enrolment", object_id=enrolment_id).order_by("pk")
    assert [entry.action for entry in entries] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.DELETE,
    ]
    assert {entry.actor for entry in entries} == {school_admin}
    assert entries[1].changes_dict["group"] == [str(group.pk), str(other_group.pk)]


def test_losing_custody_is_logged_with_who_recorded_it(school_admin, guardian, pupil):
    guardianship = Guardianship.objects.get(guardian=guardian, pupil=pupil)
    with set_actor(school_admin):
        guardianship.has_custody = False
        guardianship.save()
        guardianship_id = guardianship.pk
        guardianship.delete()

    entries = LogEntry.objects.filter(content_type__model="guardianship", object_id=guardianship_id)
    update = entries.get(action=LogEntry.Action.UPDATE)
    assert update.actor == school_admin
    assert update.changes_dict == {"has_custody": ["True", "False"]}
    assert entries.get(action=LogEntry.Action.DELETE).actor == school_admin


def test_a_new_guardianship_is_logged(school_admin, stranger, pupil):
    with set_actor(school_admin):
        guardianship = Guardianship.objects.create(guardian=stranger, pupil=pupil, has_custody=True)

    created = only_entry(guardianship, LogEntry.Action.CREATE)
    assert created.actor == school_admin
    assert created.changes_dict["guardian"] == ["None", str(stranger.pk)]


def test_the_password_hash_is_never_logged(school_admin):
    with set_actor(school_admin):
        person = User(username="hemlig")
        person.set_password("första-lösenordet-1")
        person.save()
        first_hash = person.password
        person.set_password("andra-lösenordet-2")
        person.save()

    entries = entries_for(person)
    assert entries.count() == 1  # the creation; a password change alone logs nothing
    for entry in entries:
        assert "password" not in (entry.changes_dict or {})
    logged = everything_logged()
    for secret in (first_hash, person.password, "första-lösenordet-1", "andra-lösenordet-2"):
        assert secret not in logged


def test_a_login_time_is_not_logged_as_a_change(pupil):
    from django.contrib.auth.models import update_last_login

    update_last_login(None, pupil)

    assert not entries_for(pupil, LogEntry.Action.UPDATE).exists()


def test_derived_audience_rows_are_not_audited(cast):
    # Audience membership follows from the audited memberships; logging it too
    # would double every entry.
    assert not LogEntry.objects.filter(content_type__app_label__in=["auth", "guardian"]).exists()
    assert not LogEntry.objects.filter(content_type__model__endswith="objectpermission").exists()

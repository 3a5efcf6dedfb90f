"""Bulk loads with a table's indexes and foreign keys dropped and re-created (unikum.bulkload)."""

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.db import IntegrityError, connection

from accounts import audiences
from accounts.models import PersonGroupObjectPermission, User
from unikum import bulkload

from .helpers import second_connection

Membership = User.groups.through


def definitions(model):
    with connection.cursor() as cursor:
        return bulkload._definitions(cursor, model._meta.db_table)


def pairs():
    return set(Membership.objects.values_list("group_id", "user_id"))


@pytest.mark.django_db
def test_the_block_runs_without_them_and_they_come_back_the_same():
    before = definitions(Membership)
    constraints, indexes = before
    assert len(constraints) == 3 and len(indexes) == 2  # unique pair, two foreign keys; an index per column

    with bulkload.without_indexes(Membership) as dropped:
        assert dropped
        assert definitions(Membership) == ([], [])

    assert definitions(Membership) == before


@pytest.mark.django_db
def test_a_row_that_breaks_a_constraint_fails_the_block_and_puts_everything_back(teacher, group, cast):
    before, stored = definitions(Membership), pairs()
    audience = AuthGroup.objects.get(name=audiences.group_teachers(group.pk))

    with pytest.raises(IntegrityError), bulkload.without_indexes(Membership), connection.cursor() as cursor:
        cursor.execute("INSERT INTO accounts_user_groups (group_id, user_id) VALUES (%s, %s)", [audience.pk, 10**9])

    assert definitions(Membership) == before
    assert pairs() == stored


@pytest.mark.django_db
def test_a_duplicate_fails_the_block_when_the_unique_constraint_comes_back(teacher, group, cast):
    audience = AuthGroup.objects.get(name=audiences.group_teachers(group.pk))
    assert (audience.pk, teacher.pk) in pairs()

    with pytest.raises(IntegrityError), bulkload.without_indexes(Membership), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_user_groups (group_id, user_id) VALUES (%s, %s)", [audience.pk, teacher.pk]
        )

    assert Membership.objects.filter(group=audience, user=teacher).count() == 1


@pytest.mark.django_db(transaction=True)
def test_when_a_reader_holds_the_table_the_load_goes_into_the_indexed_table(cast, monkeypatch):
    # A request that is reading users must not make the load wait, nor everyone queued behind it.
    monkeypatch.setattr(bulkload, "LOCK_TIMEOUT", "200ms")
    before = definitions(Membership)
    with second_connection() as reader:
        reader.execute("SELECT count(*) FROM accounts_user")  # the read lock lasts until its transaction ends

        with bulkload.without_indexes(Membership) as dropped:
            assert not dropped
            assert definitions(Membership) == before
        reader.rollback()
    assert definitions(Membership) == before


@pytest.mark.django_db
def test_elsewhere_than_postgresql_nothing_is_dropped(monkeypatch, cast):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with bulkload.without_indexes(Membership) as dropped:
        assert not dropped
    monkeypatch.undo()
    assert definitions(Membership)[0]


@pytest.mark.django_db
def test_a_first_load_of_audiences_drops_and_restores_the_indexes(cast, pupil, teacher, monkeypatch):
    members = pairs()
    grants = set(PersonGroupObjectPermission.objects.values_list("group_id", "permission_id", "content_object_id"))
    before = definitions(Membership), definitions(PersonGroupObjectPermission)
    Membership.objects.all().delete()
    PersonGroupObjectPermission.objects.all().delete()
    monkeypatch.setattr(audiences, "COPY_THRESHOLD", 1)
    monkeypatch.setattr(audiences, "BULK_LOAD_THRESHOLD", 1)
    used = []
    real = bulkload.without_indexes

    def spy(model):
        used.append(model)
        return real(model)

    monkeypatch.setattr(bulkload, "without_indexes", spy)

    audiences.sync()

    assert Membership in used and PersonGroupObjectPermission in used
    assert pairs() == members
    assert (
        set(PersonGroupObjectPermission.objects.values_list("group_id", "permission_id", "content_object_id")) == grants
    )
    assert (definitions(Membership), definitions(PersonGroupObjectPermission)) == before
    assert not audiences.compute_drift()
    assert User.objects.get(pk=teacher.pk).has_perm("accounts.view_user", pupil)


@pytest.mark.django_db
def test_a_load_smaller_than_the_table_keeps_the_indexes(cast, monkeypatch):
    monkeypatch.setattr(audiences, "COPY_THRESHOLD", 1)
    monkeypatch.setattr(audiences, "BULK_LOAD_THRESHOLD", 1)
    removed = Membership.objects.order_by("pk").first()
    key = (removed.group_id, removed.user_id)
    removed.delete()
    monkeypatch.setattr(bulkload, "without_indexes", lambda model: pytest.fail("dropped the indexes of a full table"))

    audiences.sync()

    assert key in pairs()


@pytest.mark.django_db
def test_the_unindexed_load_skips_rows_that_exist_and_repeated_rows(cast, teacher, pupil, group, monkeypatch):
    monkeypatch.setattr(audiences, "COPY_THRESHOLD", 1)
    monkeypatch.setattr(audiences, "BULK_LOAD_THRESHOLD", 1)
    Membership.objects.exclude(user=teacher).delete()  # fewer rows stored than loaded
    teachers = AuthGroup.objects.get(name=audiences.group_teachers(group.pk))
    pupils = AuthGroup.objects.get(name=audiences.group_pupils(group.pk))
    existing, new = (teachers.pk, teacher.pk), (pupils.pk, pupil.pk)
    assert existing in pairs() and new not in pairs()

    audiences._insert_rows(Membership, ("group_id", "user_id"), [existing, new, new])

    assert Membership.objects.filter(group=teachers, user=teacher).count() == 1
    assert Membership.objects.filter(group=pupils, user=pupil).count() == 1

import datetime
import json

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from accounts import audiences
from accounts.models import Enrolment, Guardianship, Organiser, PupilGroup, School, SchoolRole, StaffAssignment, User
from accounts.register.models import ImportRun

from .world import find, person, personnummer, ref, touch, uid, write_directory

pytestmark = pytest.mark.django_db

LATER = "2099-01-01T00:00:00+00:00"


def user(name):
    return User.objects.get(register_id=uid(name))


def pupils_visible_to(name):
    staff = user(name)  # fetched fresh: guardian caches permissions per instance
    return set(
        get_objects_for_user(staff, "accounts.view_user", User, accept_global_perms=False).values_list(
            "register_id", flat=True
        )
    )


def snapshot():
    """Everything the import writes, to compare before and after."""
    rows = []
    for model in (Organiser, School, PupilGroup, User, Enrolment, Guardianship, SchoolRole, StaffAssignment):
        rows.append(sorted(map(str, model.objects.values_list())))
    return rows, LogEntry.objects.count()


def test_a_full_sync_creates_the_organisation_people_groups_and_roles(sync):
    run = sync()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert Organiser.objects.get(external_id=uid("kommun")).name == "Exempels kommun"
    school = School.objects.get(external_id=uid("ekbacken"))
    assert school.school_forms == ["FK", "FH", "GR"]
    assert school.organiser.external_id == uid("kommun")
    seven_a = PupilGroup.objects.get(external_id=uid("7a"))
    assert (seven_a.name, seven_a.kind, seven_a.school_form, seven_a.school_year, seven_a.year_level) == (
        "7A",
        "class",
        "GR",
        2026,
        7,
    )
    pia = user("pia")
    assert (pia.first_name, pia.last_name, pia.personnummer) == ("Pia", "Elev", personnummer("20130415", "238"))
    assert pia.username == "pia.elev"
    assert not pia.has_usable_password()
    assert set(pia.enrolments.values_list("group__name", flat=True)) == {"7A", "Ma7"}
    assert Guardianship.objects.get(guardian=user("gustav"), pupil=pia).has_custody
    assert not Guardianship.objects.get(guardian=user("greta"), pupil=pia).has_custody
    assert any("registrerad utan behörighet" in line for line in run.warnings)
    assert SchoolRole.objects.get(user=user("rut"), school=school).role == "rektor"
    assert StaffAssignment.objects.get(staff=user("magnus"), group=seven_a).role == "mentor"
    assert StaffAssignment.objects.get(staff=user("tove"), group=seven_a).role == "teacher"
    assert run.counts["people.created"] == 7


def test_it_follows_the_page_tokens(sync, fake):
    sync()
    person_requests = [args for endpoint, args in fake.requests if endpoint == "persons"]
    assert len(person_requests) == 4  # seven persons, two a page
    assert [args.get("pageToken") for args in person_requests[1:]] == ["persons:2:", "persons:3:", "persons:4:"]
    assert User.objects.filter(register_id__isnull=False).count() == 7


def test_access_follows_in_the_same_transaction(sync):
    sync()
    assert pupils_visible_to("tove") == {uid("pia"), uid("olle")}
    assert pupils_visible_to("rut") == {uid("pia"), uid("olle")}
    assert user("gustav").groups.filter(name=audiences.pupil_circle(user("pia").pk)).exists()
    assert not user("greta").groups.filter(name=audiences.pupil_circle(user("pia").pk)).exists()


def test_the_same_sync_twice_changes_nothing_and_logs_nothing(sync):
    sync()
    before = snapshot()
    run = sync()
    assert snapshot() == before
    assert run.status == ImportRun.Status.SUCCEEDED
    assert {key: value for key, value in run.counts.items() if key != "warnings"} == {}


def test_creations_are_in_the_audit_log_with_the_actor(sync, stranger):
    sync(actor="sten")
    entry = LogEntry.objects.get_for_object(user("pia")).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == stranger
    assert entry.changes["last_name"] == ["None", "Elev"]
    assert ImportRun.objects.get().started_by == stranger


def test_a_renamed_pupil_stays_the_same_account(sync, fake):
    sync()
    pia = user("pia")
    find(fake.world["persons"], "pia")["familyName"] = "Nyberg"
    run = sync()
    renamed = User.objects.get(pk=pia.pk)
    assert renamed.last_name == "Nyberg"
    assert renamed.username == pia.username
    assert run.counts["people.updated"] == 1
    entry = LogEntry.objects.get_for_object(renamed).latest("timestamp")
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes == {"last_name": ["Elev", "Nyberg"]}


def test_a_class_change_moves_access_to_the_new_groups_teacher(sync, fake):
    world = fake.world
    world["persons"].append(person("kalle", "Kalle", "Kollega"))
    world["duties"].append({**find(world["duties"], "d-tove"), "id": uid("d-kalle"), "person": ref("kalle")})
    world["activities"].append(
        {"id": uid("act-7b"), "groups": [ref("7b")], "teachers": [{"duty": ref("d-kalle")}], "activityType": "x"}
    )
    sync()
    assert uid("olle") in pupils_visible_to("tove")
    assert uid("olle") not in pupils_visible_to("kalle")

    seven_a, seven_b = find(world["groups"], "7a"), find(world["groups"], "7b")
    olle = seven_a["groupMemberships"].pop(1)
    seven_b["groupMemberships"].append(olle)
    run = sync()

    assert uid("olle") not in pupils_visible_to("tove")
    assert uid("olle") in pupils_visible_to("kalle")
    old = Enrolment.objects.get(pupil=user("olle"), group__external_id=uid("7a"))
    assert old.end_date == timezone.localdate() - datetime.timedelta(days=1)
    assert Enrolment.objects.current().get(pupil=user("olle")).group.name == "7B"
    assert run.counts["enrolments.ended"] == 1
    assert run.counts["enrolments.created"] == 1


def test_a_guardian_who_loses_custody_loses_access(sync, fake):
    sync()
    pia = user("pia")
    find(fake.world["persons"], "pia")["responsibles"][0]["relationType"] = "Förälder"
    sync()
    assert not Guardianship.objects.get(guardian=user("gustav"), pupil=pia).has_custody
    assert not user("gustav").groups.filter(name=audiences.pupil_circle(pia.pk)).exists()


def test_a_guardian_no_longer_listed_gets_an_end_date(sync, fake):
    sync()
    find(fake.world["persons"], "pia")["responsibles"].pop(0)
    sync()
    link = Guardianship.objects.get(guardian=user("gustav"), pupil=user("pia"))
    assert link.end_date == timezone.localdate() - datetime.timedelta(days=1)
    assert not user("gustav").groups.filter(name=audiences.pupil_circle(user("pia").pk)).exists()


def test_a_pupil_who_leaves_is_deactivated_at_once_not_deleted(sync, fake):
    sync()
    fake.world["persons"] = [p for p in fake.world["persons"] if p["id"] != uid("olle")]
    find(fake.world["groups"], "7a")["groupMemberships"].pop(1)
    run = sync()
    olle = user("olle")
    assert not olle.is_active
    assert not Enrolment.objects.current().filter(pupil=olle).exists()
    assert uid("olle") not in pupils_visible_to("tove")
    assert run.counts["people.deactivated"] == 1
    # And back again.
    fake.world["persons"].append(person("olle", "Olle", "Klasskamrat"))
    find(fake.world["groups"], "7a")["groupMemberships"].append({"person": ref("olle"), "startDate": "2026-08-10"})
    run = sync()
    assert user("olle").is_active
    assert uid("olle") in pupils_visible_to("tove")
    assert run.counts["people.reactivated"] == 1


def test_protected_identity_is_set_and_cleared(sync, fake):
    sync()
    find(fake.world["persons"], "pia")["securityMarking"] = "Skyddad folkbokföring"
    sync()
    assert user("pia").protected_identity
    del find(fake.world["persons"], "pia")["securityMarking"]
    sync()
    assert user("pia").protected_identity, "a source that says nothing keeps the protection"
    find(fake.world["persons"], "pia")["securityMarking"] = "Ingen"
    sync()
    assert not user("pia").protected_identity


@pytest.mark.parametrize(
    "number,reason",
    [("20130101TF01", "tillfälligt"), ("201304152381", "(checksum)"), ("", None), ("19991399-1234", "(date)")],
)
def test_a_bad_personnummer_keeps_the_person_without_the_number(sync, fake, number, reason):
    pia = find(fake.world["persons"], "pia")
    if number:
        pia["civicNo"]["value"] = number
    else:
        del pia["civicNo"]
    run = sync()
    stored = user("pia")
    assert stored.personnummer is None
    assert stored.enrolments.count() == 2
    lines = [line for line in run.warnings if uid("pia") in line and "personnummer" in line]
    if reason:
        assert len(lines) == 1 and reason in lines[0]
        assert "20130101TF01" not in lines[0] and "201304152381" not in lines[0]
    else:
        assert lines == []


def test_a_membership_of_an_unknown_person_is_reported_and_the_rest_imported(sync, fake):
    find(fake.world["groups"], "7b")["groupMemberships"].append({"person": ref("nobody")})
    run = sync()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert any(uid("nobody") in line and "hänvisar till okänd elev" in line for line in run.warnings)
    assert Enrolment.objects.count() == 3


def test_an_incremental_sync_asks_for_changes_and_keeps_the_rest(sync, fake):
    sync()
    touch(find(fake.world["persons"], "pia"), LATER)["givenName"] = "Pia-Maria"
    fake.requests.clear()
    run = sync(incremental=True)
    assert run.incremental
    persons = [args for endpoint, args in fake.requests if endpoint == "persons"]
    assert "meta.modified.after" in persons[0]
    assert user("pia").first_name == "Pia-Maria"
    assert User.objects.filter(register_id__isnull=False, is_active=True).count() == 7
    assert Enrolment.objects.current().count() == 3
    assert run.counts["people.updated"] == 1


def test_an_incremental_sync_applies_deletions(sync, fake):
    sync()
    fake.deleted = {"persons": [uid("olle")], "groups": [uid("ma7")]}
    run = sync(incremental=True)
    assert not user("olle").is_active
    assert not Enrolment.objects.current().filter(group__external_id=uid("ma7")).exists()
    assert Enrolment.objects.current().filter(pupil=user("pia"), group__name="7A").exists()
    assert run.counts["people.deactivated"] == 1


def test_a_failed_login_changes_nothing_and_says_so(sync, fake):
    with pytest.raises(CommandError, match="inloggningen misslyckades"):
        sync(client_secret="fel")
    assert not User.objects.exists()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert fake.token_url in run.error


def test_the_credentials_can_go_in_a_basic_auth_header(sync):
    assert sync(basic_auth=True).status == ImportRun.Status.SUCCEEDED


def test_malformed_json_changes_nothing(sync, fake):
    sync()
    before = snapshot()
    find(fake.world["persons"], "pia")["familyName"] = "Nyberg"
    fake.fail("persons", 3, status=200, body='{"data": [')
    with pytest.raises(CommandError, match="felaktig JSON"):
        sync()
    assert snapshot() == before


def test_a_page_that_is_not_a_page_changes_nothing(sync, fake):
    fake.fail("groups", 1, status=200, body=json.dumps({"items": []}))
    with pytest.raises(CommandError, match="/groups sida 1"):
        sync()
    assert not User.objects.exists()


def test_a_server_error_midway_changes_nothing(sync, fake):
    sync()
    before = snapshot()
    find(fake.world["persons"], "pia")["familyName"] = "Nyberg"
    fake.fail("duties", 2, status=500)
    with pytest.raises(CommandError, match="HTTP 500"):
        sync(retries=2)
    assert snapshot() == before
    assert ImportRun.objects.latest("pk").status == ImportRun.Status.FAILED


def test_a_transient_error_is_retried(sync, fake):
    fake.fail("groups", 2, status=503, times=2)
    run = sync(retries=3)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert PupilGroup.objects.count() == 3


def test_a_dry_run_changes_nothing_but_says_what_would_change(sync, capsys):
    run = sync(dry_run=True, verbosity=1)
    assert run.status == ImportRun.Status.DRY_RUN
    assert not User.objects.exists() and not LogEntry.objects.exists()
    out = capsys.readouterr().out
    assert "+ person Pia Elev" in out
    assert "Provkörning, inget ändrat" in out


def test_saved_responses_give_the_same_result(db, tmp_path, fake):
    folder = write_directory(tmp_path / "export", fake.world)
    call_command("sync_ss12000", from_dir=str(folder), verbosity=0)
    assert User.objects.filter(register_id__isnull=False).count() == 7
    assert ImportRun.objects.get().source == ImportRun.Source.SS12000_FILES
    assert Enrolment.objects.count() == 3


def test_a_broken_saved_file_is_named(db, tmp_path, fake):
    folder = write_directory(tmp_path / "export", fake.world)
    (folder / "groups-2.json").write_text('{"data": [}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"groups-2\.json: trasig JSON på rad 1"):
        call_command("sync_ss12000", from_dir=str(folder), verbosity=0)
    assert not User.objects.exists()


def test_missing_connection_settings_are_named(db, monkeypatch):
    for name in ("SS12000_URL", "SS12000_TOKEN_URL", "SS12000_CLIENT_ID", "SS12000_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(CommandError, match="--url, --token-url"):
        call_command("sync_ss12000", verbosity=0)


def test_every_created_row_has_one_audit_entry_with_its_id(sync, stranger):
    """On PostgreSQL rows and entries are written with COPY and ids reserved from the
    sequence: each entry must point at its own row and name it as auditlog would."""
    sync(actor="sten")
    for model in (User, Enrolment, Guardianship, SchoolRole, StaffAssignment, PupilGroup):
        for obj in model.objects.all():
            if obj == stranger:
                continue  # the acting user, made by the fixture
            entry = LogEntry.objects.get_for_object(obj).get()
            assert entry.action == LogEntry.Action.CREATE
            assert entry.object_repr == str(obj)
            assert entry.changes["id"] == ["None", str(obj.pk)]
            assert (entry.actor, entry.actor_email) == (stranger, stranger.email)

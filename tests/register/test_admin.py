import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse

from accounts.models import Guardianship, User
from accounts.register.importer import Importer
from accounts.register.models import ImportRun
from accounts.register.records import PersonRecord, RegisterData

from . import csvfiles

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.register.urls")]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(admin_client, rows_by_name):
    files = []
    for name, rows in rows_by_name.items():
        handle = csvfiles.render(rows)
        from django.core.files.uploadedfile import SimpleUploadedFile

        files.append(SimpleUploadedFile(f"{name}.csv", handle, content_type="text/csv"))
    return admin_client.post(reverse("admin:register_importrun_upload"), {"files": files, "organiser": "Kommunen"})


ALL = {"elever": csvfiles.PUPILS, "vh": csvfiles.GUARDIANS, "grupper": csvfiles.GROUPS, "personal": csvfiles.STAFF}


def test_the_upload_page_shows_the_dry_run_and_changes_nothing(admin_client):
    assert admin_client.get(reverse("admin:register_importrun_upload")).status_code == 200
    response = upload(admin_client, ALL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "people.created: 9" in page
    assert "Pia Elev (E1)" in page
    assert "vh.csv, rad 5: ElevID E99 finns inte i elevfilen" in page  # a row warning
    assert not User.objects.filter(register_id__isnull=False).exists()
    assert ImportRun.objects.get().status == ImportRun.Status.DRY_RUN


def test_applying_imports_exactly_the_checked_files(admin_client, admin_user):
    response = upload(admin_client, ALL)
    token = re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)
    response = admin_client.post(reverse("admin:register_importrun_upload"), {"apply": "1", "token": token})
    run = ImportRun.objects.latest("pk")
    assert response.status_code == 302
    assert response.url == reverse("admin:register_importrun_change", args=[run.pk])
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.started_by == admin_user
    assert User.objects.filter(register_id__isnull=False).count() == 9
    assert LogEntry.objects.filter(actor=admin_user, action=LogEntry.Action.CREATE).count() > 9
    # The staged files are gone: applying twice is not possible.
    response = admin_client.post(reverse("admin:register_importrun_upload"), {"apply": "1", "token": token})
    assert response.status_code == 302 and response.url == reverse("admin:register_importrun_upload")


def test_a_file_with_a_missing_column_shows_the_error(admin_client):
    response = upload(admin_client, {**ALL, "vh": [row[:-1] for row in csvfiles.GUARDIANS]})
    page = response.content.decode()
    assert "vh.csv (vårdnadshavare): kolumnen Vårdnad saknas" in page
    assert 'name="apply"' not in page
    assert not User.objects.filter(register_id__isnull=False).exists()


def test_a_made_up_token_is_refused(admin_client):
    response = admin_client.post(reverse("admin:register_importrun_upload"), {"apply": "1", "token": "../../etc"})
    assert response.status_code == 404


def test_the_runs_are_read_only(admin_client):
    upload(admin_client, ALL)
    run = ImportRun.objects.get()
    assert admin_client.get(reverse("admin:register_importrun_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:register_importrun_change", args=[run.pk])).content.decode()
    assert "people.created: 9" in page
    assert admin_client.get(reverse("admin:register_importrun_add")).status_code == 403
    assert admin_client.post(reverse("admin:register_importrun_delete", args=[run.pk])).status_code == 403


def test_staff_without_the_permission_cannot_upload(client, teacher):
    teacher.is_staff = True
    teacher.save()
    client.force_login(teacher)
    assert client.get(reverse("admin:register_importrun_upload")).status_code == 403


def test_activation_emails_go_to_a_schools_guardians_without_a_password(admin_client, school, guardian, pupil):
    guardian.set_unusable_password()
    guardian.save()
    other = User.objects.create(username="x", email="x@example.se", password="!")  # custody of nobody here
    Guardianship.objects.create(guardian=other, pupil=pupil, has_custody=False)
    response = admin_client.post(
        reverse("admin:register_importrun_activation"), {"school": school.pk, "audience": "guardians"}
    )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[guardian.email]]
    link = re.search(r"http://testserver(/reset/\S+/)", mail.outbox[0].body).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert default_token_generator.check_token(guardian, token)


def test_activation_emails_go_to_a_schools_staff(admin_client, school, teacher, rektor, other_teacher):
    for person in (teacher, rektor, other_teacher):
        person.set_unusable_password()
        person.save()
    admin_client.post(reverse("admin:register_importrun_activation"), {"school": school.pk, "audience": "staff"})
    assert sorted(message.to[0] for message in mail.outbox) == sorted([teacher.email, rektor.email])


def test_bulk_audit_entries_match_what_auditlog_writes(db):
    data = RegisterData()
    data.persons["R1"] = PersonRecord("R1", "Pia", "Elev", email="pia@example.se", legal_gender="F")
    Importer(data).apply()
    bulk = LogEntry.objects.get_for_object(User.objects.get(register_id="R1")).get().changes
    by_signal = User.objects.create(
        username="pia.elev2",
        first_name="Pia",
        last_name="Elev",
        email="pia@example.se",
        legal_gender="F",
        register_id="R2",
        password="!x",
    )
    logged = LogEntry.objects.get_for_object(by_signal).get().changes
    columns = {field.name for field in User._meta.concrete_fields}
    assert set(bulk) == {name for name in logged if name in columns}
    for field in ("first_name", "last_name", "email", "legal_gender", "is_active", "protected_identity"):
        assert bulk[field] == logged[field]

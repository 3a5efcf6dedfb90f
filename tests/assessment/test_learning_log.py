"""Learning log entries: writing, sharing, evidence, reflections, access log, content checker."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from assessment.models import LearningLogEntry, Reflection, State
from tests.helpers import page_text
from unikum.audit.models import AccessEntry

from .conftest import FEEDBACK, make_entry

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def assert_no_drift():
    call_command("sync_permissions", "--check", stdout=io.StringIO())


def test_a_teacher_writes_a_draft_to_one_pupil_with_evidence(client, cast, plan):
    client.force_login(cast["teacher"])
    url = reverse("assessment:entry_create", args=[plan.code])
    response = client.post(
        url,
        {
            **FEEDBACK,
            "target": f"pupil:{cast['pupil'].code}",
            "evidence_upload": SimpleUploadedFile("bevis.pdf", PDF, content_type="text/plain"),
        },
    )
    assert response.status_code == 302
    entry = LearningLogEntry.objects.get()
    assert entry.pupil == cast["pupil"] and entry.state == State.DRAFT and entry.created_by == cast["teacher"]
    assert entry.evidence_content_type == "application/pdf" and entry.evidence_name == "bevis.pdf"
    assert_no_drift()
    client.force_login(cast["pupil"])
    assert client.get(reverse("assessment:entry_detail", args=[entry.code])).status_code == 404
    assert client.get(reverse("assessment:entry_evidence", args=[entry.code])).status_code == 404


def test_replaced_evidence_is_deleted_from_disk_once_the_edit_is_saved(
    client, cast, plan, django_capture_on_commit_callbacks
):
    entry = make_entry(cast["teacher"], plan, pupil=cast["pupil"])
    client.force_login(cast["teacher"])
    url = reverse("assessment:entry_edit", args=[entry.code])
    stored = []
    for name in ("utkast.pdf", "slutversion.pdf"):
        version = LearningLogEntry.objects.get(pk=entry.pk).version
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url,
                {**FEEDBACK, "version": version, "evidence_upload": SimpleUploadedFile(name, PDF)},
            )
        assert response.status_code == 302
        stored.append(LearningLogEntry.objects.get(pk=entry.pk).evidence)

    first, second = stored
    assert first.name != second.name
    assert not first.storage.exists(first.name)
    assert second.storage.exists(second.name)
    assert LearningLogEntry.objects.get(pk=entry.pk).evidence_name == "slutversion.pdf"
    response = client.get(reverse("assessment:entry_evidence", args=[entry.code]))
    assert b"".join(response.streaming_content) == PDF


def test_evidence_that_is_not_a_known_file_kind_is_refused(client, cast, plan):
    client.force_login(cast["teacher"])
    response = client.post(
        reverse("assessment:entry_create", args=[plan.code]),
        {
            **FEEDBACK,
            "target": f"pupil:{cast['pupil'].code}",
            "evidence_upload": SimpleUploadedFile("bevis.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert not LearningLogEntry.objects.exists()


def test_blocked_feedback_is_never_stored_and_the_finding_is_shown(client, cast, plan):
    client.force_login(cast["teacher"])
    response = client.post(
        reverse("assessment:entry_create", args=[plan.code]),
        {**FEEDBACK, "target": f"pupil:{cast['pupil'].code}", "next_step": "Pia är lat och dum."},
    )
    assert response.status_code == 200
    assert "<mark>" in page_text(response)
    assert not LearningLogEntry.objects.exists()


def test_sharing_shows_the_entry_to_the_pupil_and_guardian_only(client, cast, plan):
    entry = make_entry(cast["teacher"], plan, pupil=cast["pupil"])
    client.force_login(cast["teacher"])
    assert client.post(reverse("assessment:entry_share", args=[entry.code])).status_code == 302
    entry.refresh_from_db()
    assert entry.state == State.SHARED and entry.shared_at
    assert_no_drift()
    url = reverse("assessment:entry_detail", args=[entry.code])
    for role, status in [("pupil", 200), ("guardian", 200), ("classmate", 404), ("guardian_without_custody", 404)]:
        client.force_login(cast[role])
        assert client.get(url).status_code == status, role


def test_the_pupil_reflects_and_only_their_own_circle_reads_it(client, cast, plan, group):
    entry = make_entry(cast["teacher"], plan, group=group, shared=True)
    url = reverse("assessment:entry_reflect", args=[entry.code])
    client.force_login(cast["pupil"])
    assert client.post(url, {"text": "Jag förstod hur man jämför bråk."}).status_code == 302
    client.force_login(cast["classmate"])
    assert client.post(url, {"text": "Jag vill öva mer på multiplikation."}).status_code == 302
    assert Reflection.objects.count() == 2
    detail = reverse("assessment:entry_detail", args=[entry.code])
    client.force_login(cast["pupil"])
    page = page_text(client.get(detail))
    assert "Jag förstod" in page and "multiplikation" not in page and "Olle" not in page
    client.force_login(cast["guardian"])
    page = page_text(client.get(detail))
    assert "Jag förstod" in page and "multiplikation" not in page
    client.force_login(cast["mentor"])
    page = page_text(client.get(detail))
    assert "Jag förstod" in page and "multiplikation" in page


def test_a_guardian_and_a_draft_cannot_be_reflected_on(client, cast, plan):
    entry = make_entry(cast["teacher"], plan, pupil=cast["pupil"])
    client.force_login(cast["pupil"])
    assert client.post(reverse("assessment:entry_reflect", args=[entry.code]), {"text": "Hej"}).status_code == 404
    make_entry(cast["teacher"], plan, pupil=cast["pupil"], shared=True)
    shared = LearningLogEntry.objects.get(state=State.SHARED)
    client.force_login(cast["guardian"])
    assert client.post(reverse("assessment:entry_reflect", args=[shared.code]), {"text": "Hej"}).status_code == 403
    assert not Reflection.objects.exists()


def test_a_blocked_reflection_is_not_stored(client, cast, plan):
    entry = make_entry(cast["teacher"], plan, pupil=cast["pupil"], shared=True)
    client.force_login(cast["pupil"])
    response = client.post(reverse("assessment:entry_reflect", args=[entry.code]), {"text": "Olle är dum i huvudet."})
    assert response.status_code == 200
    assert not Reflection.objects.exists()


def test_reads_by_anyone_but_the_author_and_the_pupil_are_logged(client, cast, plan):
    entry = make_entry(cast["teacher"], plan, pupil=cast["pupil"], shared=True)
    url = reverse("assessment:entry_detail", args=[entry.code])
    for role in ("teacher", "pupil", "guardian", "rektor"):
        client.force_login(cast[role])
        client.get(url)
    readers = set(AccessEntry.objects.for_object(entry).values_list("actor__username", flat=True))
    assert readers == {"gustav", "rut"}
    assert set(AccessEntry.objects.about_person(cast["pupil"]).values_list("actor__username", flat=True)) == readers


def test_every_write_is_audited_with_the_acting_user(client, cast, plan):
    from auditlog.models import LogEntry

    from assessment.models import RubricMark

    client.force_login(cast["teacher"])
    client.post(
        reverse("assessment:entry_create", args=[plan.code]), {**FEEDBACK, "target": f"pupil:{cast['pupil'].code}"}
    )
    entry = LearningLogEntry.objects.get()
    client.post(reverse("assessment:entry_share", args=[entry.code]))
    row, level = plan.rubric.rows.first(), plan.rubric.levels.first()
    client.post(reverse("assessment:grid", args=[plan.code]), {f"mark-{cast['pupil'].code}-{row.pk}": level.pk})
    for obj in (entry, RubricMark.objects.get()):
        logged = LogEntry.objects.get_for_object(obj)
        assert logged.exists() and {e.actor for e in logged} == {cast["teacher"]}
    assert LogEntry.objects.get_for_object(entry).count() == 2

"""The demo documents of class 7A, seeded once for this module on top of the demo municipality and rolled back."""

from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from accounts.models import Enrolment, User
from assessment.management.commands import seed_demo_documents as seed
from assessment.models import (
    LearningLogEntry,
    RubricAssessment,
    RubricMark,
    State,
    SummativeAssessment,
    current_term,
)
from planning.models import Announcement, Plan
from tests.helpers import page_text

CURRICULUM = django_settings.BASE_DIR / "planning" / "data" / "curriculum-demo.json"


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker):
    # The same fast hasher as the conftest's function-scoped fixture, which is not active yet here.
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PASSWORD_HASHERS=hashers), transaction.atomic():
        call_command("load_curriculum", str(CURRICULUM), verbosity=0, stdout=StringIO())
        call_command("seed_demo", verbosity=0, stdout=StringIO())
        out = StringIO()
        call_command("seed_demo_documents", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seed_output, db):
    return seed_output


def user(username):
    return User.objects.get(username=username)


def svenska():
    return Plan.objects.get(title=seed.SVENSKA["title"])


def elevs_summative():
    return SummativeAssessment.objects.get(pupil__username="elev")


def test_it_reports_what_it_created(seeded):
    assert "Created 3 plans for 7A" in seeded


def test_the_plans_are_the_teachers_linked_to_the_curriculum_and_two_are_published_with_rubrics(seeded):
    plans = Plan.objects.filter(created_by=user("larare"))
    assert plans.count() == 3
    assert {plan.state for plan in plans} == {Plan.State.PUBLISHED, Plan.State.DRAFT}
    for plan in plans:
        assert list(plan.groups.values_list("name", flat=True)) == ["7A"]
        assert plan.subject and plan.central_content.exists() and plan.criteria.exists()
        assert plan.start_date <= plan.end_date
    for plan in plans.filter(state=Plan.State.PUBLISHED):
        rows = list(plan.rubric.rows.all())
        assert 3 <= len(rows) <= 4
        assert list(plan.rubric.levels.values_list("name", flat=True)) == ["E", "C", "A"]
        assert any(row.criterion_id for row in rows)
        for row in rows:
            assert row.title and all(cell.descriptor for cell in row.cells.all()), row


def test_the_teacher_is_named_in_the_audit_trail(seeded):
    plan = svenska()
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Plan), object_id=plan.pk)
    assert entries.exists()
    assert set(entries.values_list("actor__username", flat=True)) == {"larare"}


def test_the_demo_pupil_and_guardian_see_the_published_plan(seeded, client):
    plan = svenska()
    for username in ("elev", "vardnadshavare"):
        client.force_login(user(username))
        response = client.get(reverse("planning:plan_detail", args=[plan.code]))
        assert response.status_code == 200, username
        text = page_text(response)
        assert plan.title in text
        assert seed.SVENSKA["rows"][1] in text
        assert plan.title in page_text(client.get(reverse("planning:plan_list")))


def test_the_draft_plan_is_hidden_from_the_pupil(seeded, client):
    draft = Plan.objects.get(state=Plan.State.DRAFT)
    client.force_login(user("elev"))
    assert client.get(reverse("planning:plan_detail", args=[draft.code])).status_code == 404


def test_a_pupil_of_another_class_gets_404_on_the_plan(seeded, client):
    other = Enrolment.objects.filter(group__name="7B", group__school__name="Ekängsskolan").order_by("pk")[0].pupil
    client.force_login(other)
    assert client.get(reverse("planning:plan_detail", args=[svenska().code])).status_code == 404


def test_the_demo_pupil_and_guardian_see_the_summative_assessment_marks_and_feedback_on_the_overview(seeded, client):
    elev = user("elev")
    summative = elevs_summative()
    assert summative.state == SummativeAssessment.State.PUBLISHED
    assert (summative.year, summative.term) == current_term()
    entry = LearningLogEntry.objects.get(pupil=elev)
    for username in ("elev", "vardnadshavare"):
        client.force_login(user(username))
        response = client.get(reverse("assessment:overview", args=[elev.code]))
        assert response.status_code == 200, username
        text = page_text(response)
        assert reverse("assessment:summative_detail", args=[summative.code]) in text
        assert "Svenska" in text
        assert seed.SVENSKA["title"] in text and seed.MATEMATIK["title"] in text
        assert entry.title in text
        detail = client.get(reverse("assessment:summative_detail", args=[summative.code]))
        assert detail.status_code == 200
        assert "debattartikel" in page_text(detail)


def test_the_marks_show_progression_over_two_dates_and_are_shared(seeded):
    assessment = RubricAssessment.objects.get(plan=svenska(), pupil__username="elev")
    assert assessment.state == State.SHARED
    marks = RubricMark.objects.filter(assessment=assessment)
    assert marks.values("date").distinct().count() == 2
    assert RubricAssessment.objects.filter(plan=svenska()).count() >= 4


def test_the_learning_log_entry_gives_feedback_and_is_shared(seeded):
    entry = LearningLogEntry.objects.get(pupil__username="elev")
    assert entry.state == State.SHARED
    assert entry.current and entry.goal and entry.next_step


def test_the_news_reaches_the_class(seeded, client):
    item = Announcement.objects.get(title=seed.ANNOUNCEMENT["title"])
    assert list(item.groups.values_list("name", flat=True)) == ["7A"]
    client.force_login(user("vardnadshavare"))
    assert client.get(reverse("planning:announcement_detail", args=[item.code])).status_code == 200


def test_the_mentor_and_rektor_see_a_pupil_needing_support(seeded, client):
    needing = SummativeAssessment.objects.get(step__sufficient=False)
    assert needing.pupil.username != "elev"
    for username in ("mentor", "rektor"):
        client.force_login(user(username))
        response = client.get(reverse("assessment:support"))
        assert response.status_code == 200
        assert reverse("assessment:summative_detail", args=[needing.code]) in page_text(response)


def test_permissions_match_the_memberships_afterwards(seeded):
    call_command("sync_permissions", "--check", stdout=StringIO())


def test_running_it_again_creates_nothing(seeded):
    models = (Plan, Announcement, RubricAssessment, RubricMark, LearningLogEntry, SummativeAssessment, LogEntry)
    counts = [model.objects.count() for model in models]
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo_documents", stdout=out)
    assert "already exist" in out.getvalue()
    assert [model.objects.count() for model in models] == counts


def test_verbosity_zero_prints_nothing(seeded):
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo_documents", verbosity=0, stdout=out)
    assert out.getvalue() == ""


def test_it_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo_documents", stdout=StringIO())


def test_it_asks_for_the_demo_municipality_first(db, settings, monkeypatch):
    monkeypatch.setattr(seed, "ORGANISER_ID", "demo:another")
    settings.DEBUG = True
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_demo_documents", stdout=StringIO())

"""A teacher fills in the rubric grid by keyboard and publishes a summative assessment;
the pupil and a guardian see it on the knowledge overview."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessment.models import RubricMark, StandardStep, SummativeAssessment
from tests.assessment.conftest import add_rubric, step
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.planning.conftest import make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(cast, school, group, subject, private_media):
    from planning.models import Plan

    plan = make_plan(cast["teacher"], school, [group], state=Plan.State.PUBLISHED, subject=subject, title="Bråk")
    add_rubric(plan)
    return plan


@pytest.fixture
def subject(db):
    from planning.models import Curriculum, Subject

    curriculum = Curriculum.objects.create(code="LGR22", name="Lgr22")
    return Subject.objects.create(curriculum=curriculum, code="GRGRMAT01", name="Matematik", school_form="GR")


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_grid_is_filled_in_by_keyboard_and_the_summative_reaches_pupil_and_guardian(page, cast, plan, school):
    pia, olle = cast["pupil"], cast["classmate"]
    rows = list(plan.rubric.rows.all())
    log_in(page, "tove", PASSWORD)
    page.goto(reverse("assessment:grid", args=[plan.code]))
    grid = page.get_by_test_id("assessment-grid")
    # Sorted by last name: row 1 is Pia Elev, row 2 Olle Klasskamrat.
    page.get_by_test_id(f"mark-{pia.code}-{rows[0].pk}").focus()
    page.keyboard.press("2")  # Pia, aspect 1: C
    page.keyboard.press("ArrowRight")
    page.keyboard.press("3")  # Pia, aspect 2: A
    page.keyboard.press("ArrowDown")
    page.keyboard.press("1")  # Olle, aspect 2: E
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("2")  # Olle, aspect 1: C
    expect(grid.locator("td.saved")).to_have_count(4)
    assert page.get_by_role("button", name="Save marks").count() == 0 or not page.locator("#save-grid").is_visible()
    levels = {
        (m.assessment.pupil_id, m.row_id): m.level.name
        for m in RubricMark.objects.select_related("assessment", "level")
    }
    assert levels == {
        (pia.pk, rows[0].pk): "C",
        (pia.pk, rows[1].pk): "A",
        (olle.pk, rows[1].pk): "E",
        (olle.pk, rows[0].pk): "C",
    }
    # The page was never reloaded: the focus is still in the grid, on Olle's first cell.
    assert page.evaluate("document.activeElement.name") == f"mark-{olle.code}-{rows[0].pk}"
    page.locator("#share-grid").click()

    page.goto(reverse("assessment:summative_create", args=[pia.code]))
    page.locator("#id_subject").select_option(label="Matematik")
    page.locator("#id_year").fill("2026")
    page.locator("#id_term").select_option("2")
    page.locator(f"input[name=step][value='{step(school, StandardStep.SUFFICIENT).pk}']").check()
    page.locator("#id_comment").fill("Du jämför bråk och förklarar hur du tänker.")
    page.locator("#save-summative").click()
    page.locator("#publish-summative").click()
    expect(page.get_by_test_id("summative-state")).to_have_text(str(SummativeAssessment.State.PUBLISHED.label))
    assert SummativeAssessment.objects.get().is_published
    page.locator("form[action*=logout] button").click()

    for username, link in (("pia", "#my-overview"), ("gustav", "[data-testid=child-overview]")):
        log_in(page, username, PASSWORD)
        page.locator(link).first.click()
        subject = page.get_by_test_id("overview-subject")
        expect(subject).to_contain_text("Matematik")
        expect(subject.get_by_test_id("latest-status")).to_contain_text(re.compile("Sufficient|Tillräckliga"))
        expect(subject).to_contain_text("Begrepp")
        assert "Olle" not in page.content()
        page.locator("form[action*=logout] button").click()

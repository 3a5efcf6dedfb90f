"""A teacher plans, links criteria, builds a rubric, attaches a file and publishes;
the group's pupil and guardian see the plan, a pupil of another group does not.

Pages are addressed by ids and names, so the journey holds in Swedish and English.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from planning.models import GradingCriterion, Plan, Subject
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUNDLED = Path(__file__).resolve().parents[2] / "planning" / "data" / "curriculum-demo.json"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def assert_no_drift():
    call_command("sync_permissions", "--check", stdout=io.StringIO())


def test_a_plan_from_draft_to_the_groups_pupils_and_guardians(page, browser, live_server, cast, group, private_media):
    call_command("load_curriculum", str(BUNDLED), verbosity=0)
    swedish = Subject.objects.get(code="GRGRSVE01")
    criteria = GradingCriterion.objects.filter(subject=swedish, year=9, level="E")

    log_in(page, "tove", PASSWORD)
    page.goto("/planering/ny/")
    page.fill("#id_title", "Argumenterande text")
    page.select_option("#id_subject", str(swedish.pk))
    page.check(f"input[name=groups][value='{group.pk}']")
    page.fill("#id_start_date", "2026-11-02")
    page.fill("#id_end_date", "2026-12-18")
    page.fill("#id_purpose", "<p>Vi övar på att argumentera i tal och skrift.</p>")
    page.click("#save-plan")

    # Link the year 9 criteria, then build the rubric from them.
    for criterion in criteria:
        page.check(f"input[name=criteria][value='{criterion.pk}']")
    page.click("#save-links")
    plan = Plan.objects.get(title="Argumenterande text")
    assert plan.criteria.count() == criteria.count()
    page.click("#edit-rubric")
    page.click("#rubric-from-criteria")
    assert page.locator("[data-testid=rubric-rows] > li").count() == criteria.count()
    page.goto(f"/planering/{plan.code}/")
    assert page.locator("[data-testid=rubric] tbody tr").count() == criteria.count()

    page.set_input_files(
        "#attachment-file", files=[{"name": "uppgift.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("#upload")
    assert "uppgift.pdf" in page.locator("[data-testid=attachments]").inner_text()

    page.click("#publish")
    assert page.locator("#plan-state").get_attribute("data-state") == "published"
    assert_no_drift()
    plan_url = f"/planering/{plan.code}/"
    attachment_url = f"/planering/{plan.code}/bilagor/{plan.attachments.get().code}/"

    for username in ("pia", "gustav"):
        reader = new_page(browser, live_server)
        log_in(reader, username, PASSWORD)
        reader.locator("[data-testid=home-plans]").get_by_role("link", name="Argumenterande text").click()
        assert reader.locator("#plan-title").inner_text() == "Argumenterande text"
        assert reader.locator("[data-testid=rubric] tbody tr").count() == criteria.count()
        with reader.expect_download() as download:
            reader.click("[data-testid=attachments] a")
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
        reader.context.close()

    outsider = new_page(browser, live_server)
    log_in(outsider, "bo", PASSWORD)
    assert "Argumenterande text" not in outsider.content()
    assert outsider.goto(plan_url).status == 404
    assert outsider.request.get(attachment_url).status == 404
    outsider.context.close()

    # Back to draft: the pupil loses the plan at once.
    page.goto(plan_url)
    page.click("#unpublish")
    assert page.locator("#plan-state").get_attribute("data-state") == "draft"
    assert_no_drift()
    pupil = new_page(browser, live_server)
    log_in(pupil, "pia", PASSWORD)
    assert pupil.goto(plan_url).status == 404
    pupil.context.close()

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START_PAGE_HEADINGS = {
    "teacher": "Grupper jag undervisar",
    "mentor": "Grupper jag undervisar",
    "rektor": "Min skola",
    "pupil": "Mina grupper",
    "guardian": "Mina barn",
}


@pytest.mark.parametrize("role", START_PAGE_HEADINGS)
def test_each_role_logs_in_and_sees_its_start_page(page, cast, role):
    log_in(page, cast[role].username, PASSWORD)
    heading = page.get_by_role("heading", name=START_PAGE_HEADINGS[role])
    assert heading.is_visible()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Välkommen")


def test_guardian_sees_the_child_and_not_other_children(page, cast):
    log_in(page, "gustav", PASSWORD)
    children = page.locator("section", has=page.get_by_role("heading", name="Mina barn"))
    assert "Pia Elev" in children.inner_text()
    assert "Olle" not in page.content()


def test_wrong_password_shows_a_clear_message(page, cast):
    log_in(page, "tove", "fel-lösenord")
    alert = page.get_by_role("alert")
    assert "Fel användarnamn eller lösenord" in alert.inner_text()
    assert page.url.endswith("/konto/login/")


def test_repeated_failures_lock_the_account(page, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(page, "tove", "fel-lösenord")
    assert "För många misslyckade försök" in page.content()
    # Even the right password is refused while locked.
    log_in(page, "tove", PASSWORD)
    assert "För många misslyckade försök" in page.content()
    assert not page.get_by_role("heading", name="Grupper jag undervisar").count()


def test_teacher_opens_a_pupil_page_from_the_start_page(page, cast):
    log_in(page, "tove", PASSWORD)
    page.get_by_text("Visa elever").first.click()
    page.get_by_role("link", name="Pia Elev").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Pia Elev"
    assert "Gustav Vårdnadshavare" in page.content()


def test_language_can_be_switched_to_english(page, cast):
    log_in(page, "pia", PASSWORD)
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    assert page.get_by_role("heading", name="My groups").is_visible()


@pytest.mark.parametrize("path", ["/konto/login/", "/", "/profil/"])
def test_pages_have_no_serious_accessibility_violations(page, cast, path):
    if path != "/konto/login/":
        log_in(page, "tove", PASSWORD)
    page.goto(path)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()


def test_start_page_fits_a_320_pixel_screen(page, cast):
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, "tove", PASSWORD)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert page.get_by_role("link", name="Hoppa till innehållet").count() == 1

"""The checker's messages: said once, to the person writing, naming the organiser's systems."""

import pytest
from django import forms
from django.test import override_settings
from django.urls import reverse

from accounts.models import Organiser
from unikum.content import check
from unikum.content.checker import file_lexicon
from unikum.content.forms import CheckedTextFormField, configure_checked_fields

pytestmark = pytest.mark.urls("tests.content.urls")


class ReflectionForm(forms.Form):
    text = CheckedTextFormField()


def message(text, **options):
    (finding,) = check(text, language="sv", lexicon=file_lexicon(), **options)
    return finding.message


def test_a_pupil_is_told_to_write_about_their_own_learning_not_what_the_pupil_shows():
    for_pupil = message("Jag är lat.", writer="pupil")
    assert "du har lärt dig" in for_pupil
    assert "eleven" not in for_pupil.lower()
    assert "vad eleven visar" in message("Eleven är lat.")


def test_a_guardian_is_told_to_write_about_their_child():
    assert "ditt barns lärande" in message("Han är lat.", writer="guardian")


def test_an_unknown_writer_gets_the_staff_wording():
    assert message("Eleven är lat.", writer="rektor?") == message("Eleven är lat.", writer="staff")


@override_settings(CONTENT_CHECK_SYSTEMS={})
def test_without_names_the_messages_describe_the_systems_and_name_no_product():
    attendance = message("Eleven har hög frånvaro.")
    grade = message("Hon får betyget C.")
    assert "närvarosystemet" in attendance and "Skola24" not in attendance
    assert "elevregistret" in grade and "ProCapita" not in grade


@pytest.mark.django_db
def test_the_organisers_system_names_are_used_in_the_messages():
    organiser = Organiser.objects.create(
        name="Kommunen", attendance_system_name="Närvaro Plus", grading_system_name="BetygsPro"
    )
    systems = Organiser.objects.get(pk=organiser.pk).checker_systems()
    assert "registreras i Närvaro Plus" in message("Eleven har hög frånvaro.", systems=systems)
    assert "sätts i BetygsPro" in message("Hon får betyget C.", systems=systems)


def test_a_blank_organiser_name_falls_back_to_the_setting():
    with override_settings(CONTENT_CHECK_SYSTEMS={"attendance": "Skola24", "grading": "ProCapita"}):
        assert "Skola24" in message("Eleven har hög frånvaro.", systems={"attendance": "", "grading": ""})


def test_the_form_shows_each_finding_once_with_its_words_marked():
    form = configure_checked_fields(ReflectionForm(data={"text": "Jag är lat och har hög frånvaro."}), writer="pupil")
    assert not form.is_valid()
    html = str(form["text"])
    errors = " ".join(form.errors["text"])
    finding_messages = [f.message for f in check("Jag är lat och har hög frånvaro.", writer="pupil")]
    for text in finding_messages:
        assert html.count(text) == 1  # in the box under the field
        assert text not in errors  # and not again in the error list
    assert "<mark>lat</mark>" in html and "<mark>frånvaro</mark>" in html
    assert len(form.errors["text"]) == 1
    assert 'data-content-check-writer="pupil"' in html


@pytest.mark.django_db
def test_the_live_check_speaks_to_the_writer_and_names_the_given_systems(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("content:check"),
        {"text": "Jag kom för sent till lektionen.", "writer": "pupil", "systems": {"attendance": "Närvaro Plus"}},
        content_type="application/json",
    )
    (finding,) = response.json()["findings"]
    assert "Närvaro Plus" in finding["message"] and "du har lärt dig" in finding["message"]


@pytest.mark.django_db
@pytest.mark.urls("unikum.urls")
def test_a_superuser_sets_the_organisers_system_names_in_the_admin(admin_client):
    organiser = Organiser.objects.create(name="Kommunen")
    url = reverse("admin:accounts_organiser_change", args=[organiser.pk])
    assert 'name="attendance_system_name"' in admin_client.get(url).content.decode()
    response = admin_client.post(
        url,
        {
            "name": "Kommunen",
            "organisation_number": "",
            "attendance_system_name": "Närvaro Plus",
            "grading_system_name": "BetygsPro",
        },
    )
    assert response.status_code == 302
    organiser.refresh_from_db()
    assert organiser.checker_systems() == {"attendance": "Närvaro Plus", "grading": "BetygsPro"}

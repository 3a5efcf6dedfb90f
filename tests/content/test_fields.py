"""Every write path: a blocked text is never stored."""

import json

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from unikum.content.fields import CheckedHTMLField, CheckedTextField
from unikum.content.forms import CheckedTextarea, CheckedTextFormField
from unikum.content.models import Category, ContentTerm

BLOCKED = "Eleven är lat och har hög frånvaro."
FINE = "Lägger till ordet för att skolan använder det lokalt."


def term(**extra):
    return ContentTerm(term="fotbollsfantast", category=Category.VALUE_JUDGEMENT, **extra)


class NoteForm(forms.ModelForm):
    class Meta:
        model = ContentTerm
        fields = ["term", "category", "action", "note"]


@pytest.mark.django_db
def test_save_raises_and_stores_nothing():
    with pytest.raises(ValidationError) as raised:
        term(note=BLOCKED).save()
    assert set(raised.value.message_dict) == {"note"}
    assert {finding.category for finding in raised.value.findings} == {"value_judgement", "attendance"}
    assert not ContentTerm.objects.exists()


@pytest.mark.django_db
def test_bulk_create_raises_and_stores_nothing():
    with pytest.raises(ValidationError), transaction.atomic():
        ContentTerm.objects.bulk_create([term(note=FINE), ContentTerm(term="x", category="offensive", note=BLOCKED)])
    assert not ContentTerm.objects.exists()


@pytest.mark.django_db
def test_full_clean_reports_the_findings_on_the_field():
    with pytest.raises(ValidationError) as raised:
        term(note=BLOCKED).full_clean()
    messages = raised.value.message_dict["note"]
    assert any("”lat”" in message for message in messages)
    params = [error.params["finding"] for error in raised.value.error_dict["note"]]
    assert {finding["category"] for finding in params} == {"value_judgement", "attendance"}


@pytest.mark.django_db
def test_a_clean_text_is_stored():
    saved = term(note=FINE)
    saved.full_clean()
    saved.save()
    assert ContentTerm.objects.get().note == FINE


@pytest.mark.django_db
def test_the_form_shows_the_findings_with_the_words_marked_and_keeps_the_text():
    form = NoteForm(
        data={"term": "fotbollsfantast", "category": "value_judgement", "action": "blocked", "note": BLOCKED}
    )
    assert not form.is_valid()
    assert "note" in form.errors
    html = str(form["note"])
    assert "<mark>lat</mark>" in html and "<mark>frånvaro</mark>" in html
    assert BLOCKED in html  # the teacher's text stays in the textarea
    assert 'aria-live="polite"' in html
    assert not ContentTerm.objects.exists()


@pytest.mark.urls("tests.content.urls")
def test_the_widget_carries_the_live_check_url_and_script():
    field = CheckedTextFormField()
    html = field.widget.render("note", "", attrs={"id": "id_note"})
    assert f'data-content-check-url="{reverse("content:check")}"' in html
    assert 'data-content-check-region="id_note-content-check"' in html
    assert "js/content-check.js" in str(field.widget.media)


def test_model_fields_use_the_checked_widget():
    assert isinstance(CheckedTextField().formfield().widget, CheckedTextarea)
    assert CheckedHTMLField().formfield().is_html


@pytest.mark.django_db
def test_the_html_field_is_sanitised_before_it_is_checked():
    field = CheckedHTMLField()
    field.set_attributes_from_name("body")
    instance = term(note="")
    instance.body = '<p onclick="x()">Bra <script>alert(1)</script>analys</p>'
    assert field.pre_save(instance, add=True) == "<p>Bra analys</p>"
    instance.body = "<p>Han är en <b>id</b>iot</p>"
    with pytest.raises(ValidationError):
        field.pre_save(instance, add=True)


@pytest.mark.django_db
def test_the_admin_refuses_a_blocked_note_and_shows_why(admin_client):
    url = reverse("admin:content_contentterm_add")
    data = {"term": "fotbollsfantast", "category": "value_judgement", "action": "blocked", "note": BLOCKED}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "<mark>lat</mark>" in response.content.decode()
    assert not ContentTerm.objects.exists()
    response = admin_client.post(url, {**data, "note": FINE})
    assert response.status_code == 302
    assert ContentTerm.objects.get().note == FINE


@pytest.mark.django_db
def test_a_management_command_cannot_store_a_blocked_text(tmp_path):
    # loaddata goes through save(); the checker stops it there.
    fields = {
        "term": "x",
        "category": "offensive",
        "action": "blocked",
        "note": BLOCKED,
        "created": "2026-01-01T00:00:00Z",
    }
    fixture = tmp_path / "terms.json"
    fixture.write_text(json.dumps([{"model": "content.contentterm", "pk": 1, "fields": fields}]), encoding="utf-8")
    with pytest.raises(ValidationError), transaction.atomic():
        call_command("loaddata", str(fixture), verbosity=0)
    assert not ContentTerm.objects.exists()


@pytest.mark.django_db
def test_an_admin_term_takes_effect_without_a_restart():
    from unikum.content import check

    assert check("Han är en riktig fotbollsfantast.") == []
    ContentTerm.objects.create(term="fotbollsfantast*", category=Category.VALUE_JUDGEMENT)
    assert [f.category for f in check("Han är en riktig fotbollsfantast.")] == ["value_judgement"]
    assert [f.category for f in check("Bussen kom för sent.")] == ["attendance"]
    ContentTerm.objects.create(term="bussen kom för sent", category=Category.ATTENDANCE, action="allowed")
    assert check("Bussen kom för sent.") == []
    ContentTerm.objects.all().delete()
    assert [f.category for f in check("Bussen kom för sent.")] == ["attendance"]


@pytest.mark.django_db
def test_a_term_with_bad_syntax_is_refused():
    with pytest.raises(ValidationError) as raised:
        ContentTerm(term="<nosuchclass>", category=Category.OFFENSIVE).full_clean()
    assert "term" in raised.value.message_dict

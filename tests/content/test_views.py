import json

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.urls("tests.content.urls")


@pytest.mark.django_db
def test_it_returns_the_findings_as_json(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("content:check"), {"text": "Eleven är lat."})
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is False
    assert data["findings"][0]["category"] == "value_judgement"
    assert data["findings"][0]["match"] == "lat"


@pytest.mark.django_db
def test_it_accepts_a_json_body(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("content:check"), json.dumps({"text": "Bra analys."}), content_type="application/json"
    )
    assert response.json() == {"ok": True, "findings": []}


@pytest.mark.django_db
def test_it_requires_login(client):
    response = client.post(reverse("content:check"), {"text": "x"})
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_it_requires_post_and_csrf(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.get(reverse("content:check")).status_code == 405
    assert client.post(reverse("content:check"), {"text": "x"}).status_code == 403


@pytest.mark.django_db
def test_it_refuses_bad_json(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("content:check"), "{not json", content_type="application/json")
    assert response.status_code == 400

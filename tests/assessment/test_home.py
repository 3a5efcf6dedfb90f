"""The links into assessment on Min sida and on the staff pupil page."""

from django.urls import reverse

from tests.helpers import page_text


def test_min_sida_links_each_role_to_what_it_needs(client, cast, plan):
    overview = reverse("assessment:overview", args=[cast["pupil"].code])
    client.force_login(cast["pupil"])
    assert overview in page_text(client.get(reverse("home")))
    client.force_login(cast["guardian"])
    page = page_text(client.get(reverse("home")))
    assert overview in page and reverse("assessment:overview", args=[cast["classmate"].code]) not in page
    client.force_login(cast["teacher"])
    page = page_text(client.get(reverse("home")))
    assert reverse("assessment:grid", args=[plan.code]) in page
    assert reverse("assessment:entry_create", args=[plan.code]) in page
    assert reverse("assessment:support") not in page
    for role in ("mentor", "rektor"):
        client.force_login(cast[role])
        assert reverse("assessment:support") in page_text(client.get(reverse("home"))), role


def test_a_guardian_without_custody_gets_no_links(client, cast):
    client.force_login(cast["guardian_without_custody"])
    assert "/bedomning/" not in page_text(client.get(reverse("home")))


def test_the_pupil_page_links_to_the_overview_and_for_teachers_to_a_new_assessment(client, cast):
    pia = cast["pupil"]
    url = reverse("pupil_detail", args=[pia.code])
    client.force_login(cast["teacher"])
    page = page_text(client.get(url))
    assert reverse("assessment:overview", args=[pia.code]) in page
    assert reverse("assessment:summative_create", args=[pia.code]) in page
    client.force_login(cast["rektor"])
    page = page_text(client.get(url))
    assert reverse("assessment:overview", args=[pia.code]) in page
    assert reverse("assessment:summative_create", args=[pia.code]) not in page

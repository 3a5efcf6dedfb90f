import uuid

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from accounts.models import Enrolment, PupilGroup, SchoolForm, User
from tests.conftest import make_user
from tests.helpers import page_text

ROLES = [
    "teacher",
    "mentor",
    "rektor",
    "school_admin",
    "other_teacher",
    "pupil",
    "classmate",
    "guardian",
    "guardian_without_custody",
    "classmate_guardian",
    "other_pupil",
    "other_guardian",
    "stranger",
    "anonymous",
]
STAFF_OF_7A = {"teacher", "mentor", "rektor", "school_admin"}

# page → the roles that may see it; everyone else logged in gets 404, anonymous is sent to login.
PAGES = {
    "home": set(ROLES) - {"anonymous"},
    "profile": set(ROLES) - {"anonymous"},
    "group_detail": STAFF_OF_7A | {"pupil", "classmate"},
    "pupil_detail": STAFF_OF_7A,
}


def url_for(page, cast, group):
    if page == "group_detail":
        return reverse(page, args=[group.code])
    if page == "pupil_detail":
        return reverse(page, args=[cast["pupil"].code])
    return reverse(page)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, cast, group, page, role):
    user = cast[role]
    if user is not None:
        client.force_login(user)
    response = client.get(url_for(page, cast, group))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif role in PAGES[page]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("page", ["group_detail", "pupil_detail"])
def test_it_answers_404_for_unknown_and_malformed_codes(client, cast, page):
    client.force_login(cast["rektor"])
    assert client.get(reverse(page, args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("home") + page.replace("_detail", "") + "/not-a-uuid/").status_code == 404
    assert client.get("/elever/12/").status_code == 404


def test_teacher_sees_own_groups_and_their_pupils(client, cast):
    client.force_login(cast["teacher"])
    page = page_text(client.get(reverse("home")))
    assert "7A" in page
    assert "Pia Elev" in page and "Olle Klasskamrat" in page
    assert "Bo Annanskola" not in page


def test_guardian_sees_only_children_in_custody(client, cast):
    client.force_login(cast["guardian"])
    page = page_text(client.get(reverse("home")))
    assert "Pia Elev" in page
    assert "Olle Klasskamrat" not in page

    client.force_login(cast["guardian_without_custody"])
    page = page_text(client.get(reverse("home")))
    assert "Pia Elev" not in page


def test_rektor_sees_every_group_of_the_school(client, cast, school):
    extra = PupilGroup.objects.create(school=school, name="9C", school_form=SchoolForm.COMPULSORY, school_year=2026)
    client.force_login(cast["rektor"])
    page = page_text(client.get(reverse("home")))
    assert "7A" in page and extra.name in page
    assert "8B" not in page


def test_pupil_sees_own_groups(client, cast):
    client.force_login(cast["pupil"])
    page = page_text(client.get(reverse("home")))
    assert "7A" in page and "8B" not in page


def test_protected_pupil_is_hidden_from_classmates_but_not_from_staff(client, cast, group):
    pupil = cast["pupil"]
    pupil.protected_identity = True
    pupil.save()
    client.force_login(cast["classmate"])
    page = page_text(client.get(reverse("group_detail", args=[group.code])))
    assert "Pia" not in page and "Olle" in page

    client.force_login(cast["teacher"])
    page = page_text(client.get(reverse("group_detail", args=[group.code])))
    assert "Pia Elev" in page

    client.force_login(pupil)
    page = page_text(client.get(reverse("group_detail", args=[group.code])))
    assert "Pia Elev" in page


def test_classmates_do_not_get_links_to_pupil_pages(client, cast, group):
    client.force_login(cast["classmate"])
    page = page_text(client.get(reverse("group_detail", args=[group.code])))
    assert reverse("pupil_detail", args=[cast["pupil"].code]) not in page


def test_access_follows_a_class_change_at_once(client, cast, group, other_group):
    pupil = cast["pupil"]
    url = reverse("pupil_detail", args=[pupil.code])
    Enrolment.objects.filter(pupil=pupil, group=group).delete()
    Enrolment.objects.create(pupil=pupil, group=other_group)
    client.force_login(cast["teacher"])
    assert client.get(url).status_code == 404
    client.force_login(cast["other_teacher"])
    assert client.get(url).status_code == 200


def test_profile_saves_own_details_with_an_audit_entry(client, pupil):
    client.force_login(pupil)
    response = client.post(reverse("profile"), {"preferred_name": "Pippi", "phone": "070-123 45 67"})
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert (pupil.preferred_name, pupil.phone) == ("Pippi", "070-123 45 67")
    entry = LogEntry.objects.get_for_object(pupil).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == pupil
    assert "preferred_name" in entry.changes_dict


def test_profile_rejects_a_bad_phone_number_and_stores_nothing(client, pupil):
    client.force_login(pupil)
    response = client.post(reverse("profile"), {"preferred_name": "Pippi", "phone": "ring mig"})
    assert response.status_code == 200
    assert "errorlist" in page_text(response)
    pupil.refresh_from_db()
    assert pupil.preferred_name == "" and pupil.phone == ""


def test_profile_cannot_change_register_fields(client, pupil):
    client.force_login(pupil)
    client.post(reverse("profile"), {"first_name": "Hacker", "personnummer": "", "preferred_name": ""})
    pupil.refresh_from_db()
    assert pupil.first_name == "Pia" and pupil.personnummer == "201304152380"


def test_home_query_count_does_not_grow_with_pupils(client, cast, group, django_assert_max_num_queries):
    client.force_login(cast["teacher"])
    client.get(reverse("home"))
    for index in range(15):
        Enrolment.objects.create(pupil=make_user(f"extra{index}", "Extra", f"Elev{index}"), group=group)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("home"))
    assert page_text(response).count("Extra Elev") == 15


def test_english_can_be_chosen(client, pupil):
    client.force_login(pupil)
    swedish = page_text(client.get(reverse("home")))
    assert "Mina grupper" in swedish
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = page_text(client.get(reverse("home")))
    assert "My groups" in english


def test_inactive_user_cannot_log_in(client, pupil):
    pupil.is_active = False
    pupil.save()
    assert User.objects.get(pk=pupil.pk).is_active is False
    response = client.post(reverse("login"), {"username": "pia", "password": "korrekt-häst-batteri-42"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_swedish_is_the_default_whatever_the_browser_asks_for(client, pupil):
    client.force_login(pupil)
    page = page_text(client.get(reverse("home"), headers={"accept-language": "en-US,en;q=0.9"}))
    assert "Mina grupper" in page

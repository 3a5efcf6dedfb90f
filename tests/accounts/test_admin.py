import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from accounts.models import Enrolment, User
from tests.helpers import page_text


@pytest.fixture
def admin_page(client, school_admin):
    client.force_login(school_admin)
    return client


def test_school_admin_sees_only_people_of_own_school(admin_page, cast):
    page = page_text(admin_page.get(reverse("admin:accounts_user_changelist")))
    assert "Elev" in page and "Vårdnadshavare" in page
    assert "Annanskola" not in page and "Annanförälder" not in page


def test_school_admin_cannot_open_another_schools_pupil(admin_page, cast):
    response = admin_page.get(reverse("admin:accounts_user_change", args=[cast["other_pupil"].pk]))
    # The admin treats an object outside the queryset as missing.
    assert response.status_code in (302, 404)
    assert "Annanskola" not in page_text(response)


def test_school_admin_cannot_see_other_schools_groups(admin_page, cast, other_group):
    page = page_text(admin_page.get(reverse("admin:accounts_pupilgroup_changelist")))
    assert "7A" in page and "8B" not in page


@pytest.mark.parametrize("role", ["teacher", "pupil", "guardian", "stranger"])
def test_people_without_an_admin_role_get_no_admin(client, cast, role):
    user = cast[role]
    user.is_staff = True  # even with the flag, no school role means no admin
    user.save()
    client.force_login(user)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 403


def test_admin_edit_is_audited_with_the_administrator_as_actor(admin_page, cast, school_admin):
    pupil = cast["pupil"]
    url = reverse("admin:accounts_user_change", args=[pupil.pk])
    form = admin_page.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and key != "password"}
    data.update(first_name="Pia-Maria", protected_identity="on" if pupil.protected_identity else "")
    data = {key: value for key, value in data.items() if key in form.fields and not isinstance(value, (list, tuple))}
    data.pop("protected_identity", None)
    data["is_active"] = "on"
    response = admin_page.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    pupil.refresh_from_db()
    assert pupil.first_name == "Pia-Maria"
    entry = LogEntry.objects.get_for_object(pupil).latest("timestamp")
    assert entry.actor == school_admin
    assert entry.changes_dict["first_name"] == ["Pia", "Pia-Maria"]


def test_admin_rejects_an_invalid_personnummer_and_stores_nothing(admin_page, cast):
    pupil = cast["pupil"]
    url = reverse("admin:accounts_user_change", args=[pupil.pk])
    response = admin_page.post(
        url,
        {
            "username": pupil.username,
            "first_name": "Pia",
            "last_name": "Elev",
            "personnummer": "20130415-2381",
            "email": pupil.email,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "kontrollsiffra" in str(response.context["adminform"].form.errors), response.context["adminform"].form.errors
    pupil.refresh_from_db()
    assert pupil.personnummer == "201304152380"


def test_admin_enrolment_is_audited_and_moves_access(admin_page, cast, group, school_admin):
    stranger = cast["stranger"]
    response = admin_page.post(
        reverse("admin:accounts_enrolment_add"),
        {"pupil": stranger.pk, "group": group.pk, "start_date": "", "end_date": ""},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    enrolment = Enrolment.objects.get(pupil=stranger, group=group)
    assert LogEntry.objects.get_for_object(enrolment).get().actor == school_admin
    teacher = User.objects.get(pk=cast["teacher"].pk)
    assert teacher.has_perm("accounts.view_user", stranger)

import re

from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD


def test_password_reset_mails_a_link_that_sets_a_new_password(client, pupil):
    response = client.post(reverse("password_reset"), {"email": pupil.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "ny-lång-fras-77", "new_password2": "ny-lång-fras-77"})
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert pupil.check_password("ny-lång-fras-77")
    assert not pupil.check_password(PASSWORD)


def test_password_reset_says_nothing_about_unknown_addresses(client, pupil):
    response = client.post(reverse("password_reset"), {"email": "ingen@example.se"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_used_or_forged_reset_link_is_refused_clearly(client, pupil):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "fel-token"]))
    assert response.status_code == 200
    assert not response.context["validlink"]
    assert "ogiltig" in response.content.decode()


def test_password_change_requires_the_old_password(client, pupil):
    client.force_login(pupil)
    response = client.post(
        reverse("password_change"),
        {"old_password": "fel", "new_password1": "ny-lång-fras-77", "new_password2": "ny-lång-fras-77"},
    )
    assert response.status_code == 200
    pupil.refresh_from_db()
    assert pupil.check_password(PASSWORD)

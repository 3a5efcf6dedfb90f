"""Who sees a plan and its attachments, in each state, for every role of the cast."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Enrolment
from planning import actions
from planning.models import Plan
from tests.accounts.test_views import ROLES

STAFF = {"teacher", "mentor", "rektor", "school_admin"}
AUDIENCE_OF_7A = STAFF | {"pupil", "classmate", "guardian", "classmate_guardian"}

# state → who sees the plan (everyone else logged in: 404).
SEES = {
    "draft": STAFF,
    "published": AUDIENCE_OF_7A,
    "archived": STAFF,
    "unpublished": STAFF,
}


def put_in_state(plan, state, author):
    if state == "published":
        actions.set_state(plan, Plan.State.PUBLISHED, author)
    elif state == "archived":
        actions.set_state(plan, Plan.State.PUBLISHED, author)
        actions.set_state(plan, Plan.State.ARCHIVED, author)
    elif state == "unpublished":
        actions.set_state(plan, Plan.State.PUBLISHED, author)
        actions.set_state(plan, Plan.State.DRAFT, author)


def assert_no_drift():
    call_command("sync_permissions", "--check", stdout=io.StringIO())


@pytest.mark.parametrize("state", SEES)
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_plan_and_its_attachments(client, cast, plan, state, role):
    put_in_state(plan, state, cast["teacher"])
    assert_no_drift()
    attachment = plan.attachments.get()
    urls = [
        reverse("planning:plan_detail", args=[plan.code]),
        reverse("planning:attachment", args=[plan.code, attachment.code]),
    ]
    user = cast[role]
    if user is not None:
        client.force_login(user)
    for url in urls:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        elif role in SEES[state]:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url


def test_the_attachment_is_served_as_a_download_that_is_never_sniffed(client, cast, plan):
    actions.set_state(plan, Plan.State.PUBLISHED, cast["teacher"])
    attachment = plan.attachments.get()
    client.force_login(cast["guardian"])
    response = client.get(reverse("planning:attachment", args=[plan.code, attachment.code]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_plans_attachment_code_is_404(client, cast, plan, school, group):
    from tests.planning.conftest import attach, make_plan

    other = make_plan(cast["teacher"], school, [group])
    foreign = attach(other, cast["teacher"])
    client.force_login(cast["teacher"])
    assert client.get(reverse("planning:attachment", args=[plan.code, foreign.code])).status_code == 404
    assert client.get(reverse("planning:attachment", args=[plan.code, uuid.uuid4()])).status_code == 404


def test_only_authors_may_change_others_who_see_get_403(client, cast, plan):
    edit = reverse("planning:plan_edit", args=[plan.code])
    state = reverse("planning:plan_state", args=[plan.code])
    for role, status in [("mentor", 403), ("rektor", 403), ("other_teacher", 404), ("pupil", 404)]:
        client.force_login(cast[role])
        assert client.get(edit).status_code == status, role
        assert client.post(state, {"action": "publish"}).status_code == status, role
    plan.refresh_from_db()
    assert plan.state == Plan.State.DRAFT
    plan.co_authors.add(cast["mentor"])
    client.force_login(cast["mentor"])
    assert client.get(edit).status_code == 200


def test_unpublishing_withdraws_access_at_once(client, cast, plan):
    url = reverse("planning:plan_detail", args=[plan.code])
    client.force_login(cast["teacher"])
    client.post(reverse("planning:plan_state", args=[plan.code]), {"action": "publish"})
    assert_no_drift()
    client.force_login(cast["guardian"])
    assert client.get(url).status_code == 200
    client.force_login(cast["teacher"])
    client.post(reverse("planning:plan_state", args=[plan.code]), {"action": "unpublish"})
    assert_no_drift()
    client.force_login(cast["guardian"])
    assert client.get(url).status_code == 404
    client.force_login(cast["pupil"])
    assert client.get(url).status_code == 404


def test_a_pupil_who_changes_class_loses_the_plan(client, cast, plan, group, other_group):
    actions.set_state(plan, Plan.State.PUBLISHED, cast["teacher"])
    Enrolment.objects.filter(pupil=cast["pupil"], group=group).delete()
    Enrolment.objects.create(pupil=cast["pupil"], group=other_group)
    assert_no_drift()
    client.force_login(cast["pupil"])
    assert client.get(reverse("planning:plan_detail", args=[plan.code])).status_code == 404


def test_moving_a_published_plan_to_another_group_moves_its_audience(client, cast, plan, school, group):
    from accounts.models import PupilGroup, SchoolForm

    actions.set_state(plan, Plan.State.PUBLISHED, cast["teacher"])
    nine = PupilGroup.objects.create(school=school, name="9C", school_form=SchoolForm.COMPULSORY, school_year=2026)
    client.force_login(cast["teacher"])
    response = client.post(
        reverse("planning:plan_edit", args=[plan.code]),
        {
            "title": plan.title,
            "school": school.pk,
            "groups": [nine.pk],
            "start_date": "2026-11-02",
            "end_date": "2026-12-18",
        },
    )
    assert response.status_code == 302
    assert_no_drift()
    client.force_login(cast["pupil"])
    assert client.get(reverse("planning:plan_detail", args=[plan.code])).status_code == 404

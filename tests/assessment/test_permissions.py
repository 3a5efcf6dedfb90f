"""Who sees and who may change each assessment page, in every state, for every role of the cast.

Logged-in people who may not see a page get 404; who may see but not change gets
403; anonymous visitors are sent to the login page. One test per role walks
every record through its states (creating the cast is the slow part).
"""

import pytest
from django.urls import reverse

from assessment import actions
from assessment.models import RubricMark, SummativeAssessment
from tests.accounts.test_views import ROLES

from .conftest import make_entry, make_summative, mark

STAFF = {"teacher", "mentor", "rektor", "school_admin"}
TEACHERS = {"teacher", "mentor"}  # the author and the pupil's other teacher (the mentor teaches 7A too)
LEADERS = {"rektor", "school_admin"}
PIA = {"pupil", "guardian"}
SEVEN_A = PIA | {"classmate", "classmate_guardian"}

# record → state → page → (who sees it, who sees it but gets 403); everyone else logged in: 404.
RECORDS = {
    "pupil_entry": {
        "draft": {"entry_detail": (STAFF, set()), "entry_edit": (TEACHERS, LEADERS)},
        "shared": {"entry_detail": (STAFF | PIA, set()), "entry_edit": (TEACHERS, LEADERS | PIA)},
    },
    "group_entry": {
        "draft": {"entry_detail": (STAFF, set()), "entry_edit": (TEACHERS, LEADERS)},
        "shared": {"entry_detail": (STAFF | SEVEN_A, set()), "entry_edit": (TEACHERS, LEADERS | SEVEN_A)},
    },
    "summative": {
        "draft": {"summative_detail": (STAFF, set()), "summative_edit": (TEACHERS, LEADERS)},
        "shared": {"summative_detail": (STAFF | PIA, set()), "summative_edit": (TEACHERS, LEADERS | PIA)},
    },
    "rubric": {
        "draft": {"rubric_detail": (STAFF, set())},
        "shared": {"rubric_detail": (STAFF | PIA, set())},
    },
}

PAGES = {
    # The overview of Pia: the same page for her, her guardian and the staff who meet her.
    "overview": (STAFF | PIA, set()),
    # The grid is staff-only; leaders read it, teachers fill it in.
    "grid": (STAFF, set()),
    # Mentors and rektors.
    "support": ({"mentor", "rektor"}, set()),
    # Teachers of Pia write summative assessments; leaders see Pia but do not.
    "summative_create": (TEACHERS, LEADERS),
    # Teachers of the plan's group write entries; everyone else who sees the plan gets 403.
    "entry_create": (TEACHERS, LEADERS | SEVEN_A),
}


def check(client, role, url, ok, forbidden):
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    elif role in ok:
        assert response.status_code == 200, (role, url)
    elif role in forbidden:
        assert response.status_code == 403, (role, url)
    else:
        assert response.status_code == 404, (role, url)


@pytest.fixture
def records(cast, plan, group, school, subject):
    teacher = cast["teacher"]
    return {
        "pupil_entry": make_entry(teacher, plan, pupil=cast["pupil"]),
        "group_entry": make_entry(teacher, plan, group=group),
        "summative": make_summative(teacher, cast["pupil"], school, subject),
        "rubric": mark(teacher, plan, cast["pupil"], "Begrepp", "C").assessment,
    }


def share_all(records, plan, cast):
    teacher = cast["teacher"]
    actions.share_entry(records["pupil_entry"], teacher)
    actions.share_entry(records["group_entry"], teacher)
    actions.publish_summative(records["summative"], teacher)
    actions.share_rubric_assessments(teacher, plan, [cast["pupil"]])


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_and_changes_each_record_in_each_state(client, cast, plan, records, role):
    if cast[role] is not None:
        client.force_login(cast[role])
    for state in ("draft", "shared"):
        if state == "shared":
            share_all(records, plan, cast)
        for record, by_state in RECORDS.items():
            for page, (ok, forbidden) in by_state[state].items():
                check(client, role, reverse(f"assessment:{page}", args=[records[record].code]), ok, forbidden)


def page_url(page, cast, plan):
    if page in ("overview", "summative_create"):
        return reverse(f"assessment:{page}", args=[cast["pupil"].code])
    if page in ("grid", "entry_create"):
        return reverse(f"assessment:{page}", args=[plan.code])
    return reverse(f"assessment:{page}")


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_pages_around_a_pupil_and_a_plan(client, cast, plan, records, role):
    share_all(records, plan, cast)
    if cast[role] is not None:
        client.force_login(cast[role])
    for page, (ok, forbidden) in PAGES.items():
        check(client, role, page_url(page, cast, plan), ok, forbidden)


@pytest.mark.parametrize("role", ["rektor", "school_admin", "pupil", "guardian", "other_teacher"])
def test_only_the_pupils_teachers_change_anything(client, cast, plan, records, role):
    share_all(records, plan, cast)
    entry, summative = records["pupil_entry"], records["summative"]
    client.force_login(cast[role])
    expected = 404 if role == "other_teacher" else 403
    row, level = plan.rubric.rows.first(), plan.rubric.levels.first()
    posts = [
        (reverse("assessment:entry_edit", args=[entry.code]), {"title": "Ändrad", "version": entry.version}),
        (reverse("assessment:summative_edit", args=[summative.code]), {"comment": "Ändrad", "version": 2}),
        (reverse("assessment:summative_publish", args=[summative.code]), {}),
        (reverse("assessment:entry_share", args=[entry.code]), {}),
        (reverse("assessment:rubric_detail", args=[records["rubric"].code]), {"row": row.pk, "level": level.pk}),
    ]
    if role not in ("pupil", "guardian"):  # the grid is staff-only: 404 to them
        posts.append((reverse("assessment:grid", args=[plan.code]), {f"mark-{cast['pupil'].code}-{row.pk}": level.pk}))
        posts.append((reverse("assessment:grid_share", args=[plan.code]), {}))
    for url, data in posts:
        assert client.post(url, data).status_code == expected, url
    entry.refresh_from_db()
    assert entry.title != "Ändrad"
    assert not SummativeAssessment.objects.filter(comment__contains="Ändrad").exists()
    assert RubricMark.objects.count() == 1


def test_unknown_codes_are_404(client, cast, plan):
    import uuid

    client.force_login(cast["rektor"])
    for name in ("entry_detail", "summative_detail", "rubric_detail", "overview", "grid"):
        assert client.get(reverse(f"assessment:{name}", args=[uuid.uuid4()])).status_code == 404, name

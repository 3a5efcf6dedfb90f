"""The teacher's grid: pupils × aspects, append-only marks, one cell at a time, constant queries."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Enrolment, User
from assessment import actions
from assessment.models import RubricAssessment, RubricMark, State
from tests.conftest import make_user
from tests.helpers import page_text

from .conftest import add_rubric, mark


def assert_no_drift():
    call_command("sync_permissions", "--check", stdout=io.StringIO())


def cell(pupil, row):
    return f"mark-{pupil.code}-{row.pk}"


def test_the_whole_form_posts_without_javascript_and_appends_marks(client, cast, plan):
    rows, levels = list(plan.rubric.rows.all()), list(plan.rubric.levels.all())
    pia, olle = cast["pupil"], cast["classmate"]
    client.force_login(cast["teacher"])
    url = reverse("assessment:grid", args=[plan.code])
    response = client.post(url, {cell(pia, rows[0]): levels[0].pk, cell(olle, rows[1]): levels[2].pk})
    assert response.status_code == 302
    assert RubricMark.objects.count() == 2
    assert_no_drift()
    # The same level again adds nothing; a new level adds a mark and keeps the old one.
    client.post(url, {cell(pia, rows[0]): levels[0].pk})
    assert RubricMark.objects.count() == 2
    client.post(url, {cell(pia, rows[0]): levels[1].pk})
    history = RubricMark.objects.filter(assessment__pupil=pia, row=rows[0]).order_by("created_at", "id")
    assert [m.level.name for m in history] == ["E", "C"]
    page = page_text(client.get(url))
    assert f'<option value="{levels[1].pk}" selected>' in page


def test_one_cell_is_saved_with_a_json_answer(client, cast, plan):
    row, level = plan.rubric.rows.first(), plan.rubric.levels.last()
    client.force_login(cast["mentor"])
    response = client.post(
        reverse("assessment:grid", args=[plan.code]),
        {cell(cast["pupil"], row): level.pk},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert json.loads(response.content) == {"saved": {cell(cast["pupil"], row): "A"}}
    saved = RubricMark.objects.get()
    assert saved.created_by == cast["mentor"] and saved.date == datetime.date.today()


def test_a_mark_is_never_changed(cast, plan):
    saved = mark(cast["teacher"], plan, cast["pupil"], "Begrepp", "E")
    saved.comment = "Ändrad"
    with pytest.raises(ValidationError):
        saved.save()
    saved.refresh_from_db()
    assert saved.comment == ""


def test_the_leaders_read_the_grid_but_cannot_mark(client, cast, plan):
    mark(cast["teacher"], plan, cast["pupil"], "Begrepp", "C")
    client.force_login(cast["rektor"])
    page = page_text(client.get(reverse("assessment:grid", args=[plan.code])))
    assert '<select name="mark-' not in page and "Pia Elev" in page


def test_a_pupil_with_protected_identity_is_shown_to_staff_with_a_badge(client, cast, plan, group):
    hidden = make_user("hanna", "Hanna", "Skyddad", protected_identity=True)
    Enrolment.objects.create(pupil=hidden, group=group)
    client.force_login(cast["teacher"])
    page = page_text(client.get(reverse("assessment:grid", args=[plan.code])))
    assert "Hanna Skyddad" in page


def test_the_pupil_page_shows_the_history_with_comments_and_adds_a_mark(client, cast, plan):
    first = mark(cast["teacher"], plan, cast["pupil"], "Begrepp", "E", datetime.date(2026, 9, 1), comment="Första")
    mark(cast["teacher"], plan, cast["pupil"], "Begrepp", "C", datetime.date(2026, 10, 1))
    url = reverse("assessment:rubric_detail", args=[first.assessment.code])
    client.force_login(cast["mentor"])
    page = page_text(client.get(url))
    assert page.index("2026-09-01") < page.index("2026-10-01") and "Första" in page
    row, level = plan.rubric.rows.get(title="Begrepp"), plan.rubric.levels.get(name="A")
    response = client.post(url, {"row": row.pk, "level": level.pk, "date": "2026-11-02", "comment": "Resonerar väl"})
    assert response.status_code == 302
    assert [m.level.name for m in RubricMark.objects.filter(row=row).order_by("date")] == ["E", "C", "A"]


def test_sharing_the_grid_shows_the_marks_to_each_pupil_and_guardian(client, cast, plan):
    assessment = mark(cast["teacher"], plan, cast["pupil"], "Begrepp", "C").assessment
    url = reverse("assessment:rubric_detail", args=[assessment.code])
    client.force_login(cast["guardian"])
    assert client.get(url).status_code == 404
    client.force_login(cast["teacher"])
    client.post(reverse("assessment:grid_share", args=[plan.code]))
    assert RubricAssessment.objects.get().state == State.SHARED
    assert_no_drift()
    client.force_login(cast["guardian"])
    assert client.get(url).status_code == 200
    client.force_login(cast["classmate"])
    assert client.get(url).status_code == 404


def _fill(school, group, teacher, plan, pupils, aspects):
    from accounts import audiences

    with audiences.deferred():
        for n in range(pupils):
            pupil = User.objects.create(username=f"grid{group.pk}-{n}", first_name="Elev", last_name=f"{n:03d}")
            Enrolment.objects.create(pupil=pupil, group=group)
    plan.rubric.delete()
    add_rubric(plan, rows=[f"Aspekt {n}" for n in range(aspects)])
    rows, levels = list(plan.rubric.rows.all()), list(plan.rubric.levels.all())
    marks = []
    for pupil in User.objects.filter(enrolments__group=group):
        for index, row in enumerate(rows):
            marks.append((pupil, row, levels[index % len(levels)], "", None))
    actions.record_marks(teacher, plan, marks)


@pytest.mark.parametrize("pupils,aspects", [(5, 3), (30, 15)])
def test_the_grid_takes_the_same_number_of_queries_for_any_size(
    client, cast, plan, school, group, pupils, aspects, django_assert_num_queries
):
    _fill(school, group, cast["teacher"], plan, pupils, aspects)
    client.force_login(cast["teacher"])
    url = reverse("assessment:grid", args=[plan.code])
    client.get(url)
    with django_assert_num_queries(GRID_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert page_text(response).count('<select name="mark-') == (pupils + 2) * aspects


GRID_QUERIES = 12

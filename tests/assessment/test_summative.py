"""Summative assessments, the organiser's scale, the knowledge overview and the pupils needing support."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Enrolment, PupilGroup, SchoolForm, StaffAssignment, User
from assessment import actions
from assessment.models import AssessmentScale, ScaleStep, StandardStep, SummativeAssessment, Term
from planning.models import Plan
from tests.helpers import page_text
from tests.planning.conftest import make_plan
from unikum.audit.models import AccessEntry

from .conftest import add_rubric, make_entry, make_summative, mark, step


def assert_no_drift():
    call_command("sync_permissions", "--check", stdout=io.StringIO())


def test_the_default_scale_is_created_once_with_three_steps(organiser):
    scale = AssessmentScale.for_organiser(organiser)
    assert AssessmentScale.for_organiser(organiser) == scale
    steps = list(scale.steps.all())
    assert [s.standard for s in steps] == [
        StandardStep.NOT_SUFFICIENT,
        StandardStep.SUFFICIENT,
        StandardStep.MORE_THAN_SUFFICIENT,
    ]
    assert [s.sufficient for s in steps] == [False, True, True]


def test_a_teacher_writes_and_publishes_with_the_organisers_own_scale(client, cast, school, subject):
    scale = AssessmentScale.for_organiser(school.organiser)
    scale.steps.all().delete()
    ScaleStep.objects.create(scale=scale, name="Når inte målen", sufficient=False, position=0)
    ScaleStep.objects.create(scale=scale, name="Når målen", sufficient=True, position=1)
    client.force_login(cast["teacher"])
    create = reverse("assessment:summative_create", args=[cast["pupil"].code])
    page = page_text(client.get(create))
    assert "Når inte målen" in page and "tillräckliga" not in page
    response = client.post(
        create,
        {
            "subject": subject.pk,
            "year": 2026,
            "term": Term.AUTUMN,
            "step": scale.steps.get(position=1).pk,
            "comment": "<p>Du resonerar om bråk.</p>",
        },
    )
    assert response.status_code == 302
    assessment = SummativeAssessment.objects.get()
    assert assessment.state == SummativeAssessment.State.DRAFT and assessment.school == school
    assert_no_drift()
    client.post(reverse("assessment:summative_publish", args=[assessment.code]))
    assessment.refresh_from_db()
    assert assessment.is_published and assessment.published_at
    assert_no_drift()


def test_a_second_assessment_for_the_same_term_is_refused(client, cast, school, subject):
    make_summative(cast["teacher"], cast["pupil"], school, subject)
    client.force_login(cast["mentor"])
    response = client.post(
        reverse("assessment:summative_create", args=[cast["pupil"].code]),
        {"subject": subject.pk, "year": 2026, "term": Term.AUTUMN, "step": step(school, "sufficient").pk},
    )
    assert response.status_code == 200
    assert SummativeAssessment.objects.count() == 1


def test_grade_setting_text_is_blocked(client, cast, school, subject):
    client.force_login(cast["teacher"])
    response = client.post(
        reverse("assessment:summative_create", args=[cast["pupil"].code]),
        {
            "subject": subject.pk,
            "year": 2026,
            "term": Term.AUTUMN,
            "step": step(school, "sufficient").pk,
            "comment": "Pia får betyget C i matematik.",
        },
    )
    assert response.status_code == 200 and "<mark>" in page_text(response)
    assert not SummativeAssessment.objects.exists()


@pytest.fixture
def history(cast, school, subject, other_subject, plan):
    teacher = cast["teacher"]
    pia = cast["pupil"]
    make_summative(teacher, pia, school, subject, 2026, Term.SPRING, StandardStep.NOT_SUFFICIENT, published=True)
    make_summative(teacher, pia, school, subject, 2026, Term.AUTUMN, StandardStep.SUFFICIENT, published=True)
    make_summative(cast["mentor"], pia, school, other_subject, 2026, Term.AUTUMN, StandardStep.MORE_THAN_SUFFICIENT)
    mark(teacher, plan, pia, "Begrepp", "E")
    mark(teacher, plan, pia, "Begrepp", "C")
    actions.share_rubric_assessments(teacher, plan, [pia])
    make_entry(teacher, plan, pupil=pia, shared=True, title="Delad återkoppling")
    make_entry(teacher, plan, pupil=pia, title="Utkast till återkoppling")


def test_the_pupil_and_guardian_see_what_is_published(client, cast, history):
    url = reverse("assessment:overview", args=[cast["pupil"].code])
    for role in ("pupil", "guardian"):
        client.force_login(cast[role])
        page = page_text(client.get(url))
        assert "Matematik" in page and "Engelska" not in page  # the English assessment is the mentor's draft
        assert "Sufficient knowledge" in page or "Tillräckliga kunskaper" in page
        assert "Begrepp" in page
        assert "Delad återkoppling" in page and "Utkast till" not in page
        assert "Olle" not in page


def test_staff_see_their_own_drafts_but_not_colleagues_drafts(client, cast, history):
    url = reverse("assessment:overview", args=[cast["pupil"].code])
    client.force_login(cast["mentor"])
    page = page_text(client.get(url))
    assert "Engelska" in page and "Utkast till" not in page
    client.force_login(cast["teacher"])
    page = page_text(client.get(url))
    assert "Engelska" not in page and "Utkast till" in page


def test_reading_the_overview_is_logged_for_everyone_but_the_authors_and_the_pupil(client, cast, history):
    url = reverse("assessment:overview", args=[cast["pupil"].code])
    for role in ("pupil", "guardian", "rektor"):
        client.force_login(cast[role])
        client.get(url)
    readers = set(AccessEntry.objects.about_person(cast["pupil"]).values_list("actor__username", flat=True))
    assert readers == {"gustav", "rut"}


def _grow(cast, school, subject, plan, terms, subjects):
    from planning.models import Subject

    pia, teacher = cast["pupil"], cast["teacher"]
    for n in range(subjects):
        extra = Subject.objects.create(curriculum=subject.curriculum, code=f"X{n}", name=f"Ämne {n}", school_form="GR")
        for year in range(2026 - terms, 2026):
            make_summative(teacher, pia, school, extra, year, Term.SPRING, published=True)
        other_plan = make_plan(teacher, school, plan.groups.all(), state=Plan.State.PUBLISHED, subject=extra)
        add_rubric(other_plan)
        for row in ("Begrepp", "Resonemang"):
            mark(teacher, other_plan, pia, row, "E")
            mark(teacher, other_plan, pia, row, "C")
        actions.share_rubric_assessments(teacher, other_plan, [pia])


@pytest.mark.parametrize("terms,subjects", [(1, 1), (4, 5)])
def test_the_overview_takes_the_same_number_of_queries_for_any_history(
    client, cast, school, subject, plan, terms, subjects, django_assert_num_queries
):
    _grow(cast, school, subject, plan, terms, subjects)
    url = reverse("assessment:overview", args=[cast["pupil"].code])
    for role in ("guardian", "teacher"):
        client.force_login(cast[role])
        client.get(url)
        with django_assert_num_queries(OVERVIEW_QUERIES[role]):
            response = client.get(url)
        assert page_text(response).count('data-testid="overview-subject"') == subjects


OVERVIEW_QUERIES = {"guardian": 9, "teacher": 10}


def test_pupils_needing_support_for_the_mentor_and_rektor(client, cast, school, subject, other_subject, group):
    teacher, pia, olle = cast["teacher"], cast["pupil"], cast["classmate"]
    # Pia: not sufficient in the spring, sufficient now: no longer on the list.
    make_summative(teacher, pia, school, subject, 2026, Term.SPRING, StandardStep.NOT_SUFFICIENT, published=True)
    make_summative(teacher, pia, school, subject, 2026, Term.AUTUMN, StandardStep.SUFFICIENT, published=True)
    # Olle: not sufficient now in English (published), and a draft that says so in maths (not counted).
    make_summative(teacher, olle, school, other_subject, 2026, Term.AUTUMN, StandardStep.NOT_SUFFICIENT, True)
    make_summative(teacher, olle, school, subject, 2026, Term.AUTUMN, StandardStep.NOT_SUFFICIENT)
    # Bo, at another school: never on these lists.
    make_summative(cast["other_teacher"], cast["other_pupil"], cast["other_pupil"].enrolments.get().group.school,
                   subject, 2026, Term.AUTUMN, StandardStep.NOT_SUFFICIENT, published=True)  # fmt: skip
    for role in ("mentor", "rektor"):
        client.force_login(cast[role])
        page = page_text(client.get(reverse("assessment:support")))
        assert "Olle Klasskamrat" in page and "Engelska" in page and "Tove Lärare" in page, role
        assert "Pia Elev" not in page and "Bo Annanskola" not in page and "Matematik" not in page, role


def test_a_mentor_only_sees_the_pupils_of_their_mentor_groups(client, cast, school, subject):
    ninth = PupilGroup.objects.create(school=school, name="9C", school_form=SchoolForm.COMPULSORY, school_year=2026)
    other = User.objects.create(username="nils", first_name="Nils", last_name="Nian")
    Enrolment.objects.create(pupil=other, group=ninth)
    StaffAssignment.objects.create(staff=cast["teacher"], group=ninth)
    make_summative(cast["teacher"], other, school, subject, standard=StandardStep.NOT_SUFFICIENT, published=True)
    client.force_login(cast["mentor"])
    assert "Nils Nian" not in page_text(client.get(reverse("assessment:support")))
    client.force_login(cast["rektor"])
    assert "Nils Nian" in page_text(client.get(reverse("assessment:support")))

import datetime

import pytest

from assessment import actions
from assessment.models import AssessmentScale, StandardStep
from planning.models import Curriculum, Plan, Rubric, RubricLevel, RubricRow, Subject
from tests.planning.conftest import make_plan


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def subject(db):
    curriculum = Curriculum.objects.create(code="LGR22", name="Lgr22")
    return Subject.objects.create(curriculum=curriculum, code="GRGRMAT01", name="Matematik", school_form="GR")


@pytest.fixture
def other_subject(subject):
    return Subject.objects.create(curriculum=subject.curriculum, code="GRGRENG01", name="Engelska", school_form="GR")


def add_rubric(plan, levels=("E", "C", "A"), rows=("Problemlösning", "Begrepp", "Resonemang")):
    rubric = Rubric.objects.create(plan=plan)
    for position, name in enumerate(levels):
        RubricLevel.objects.create(rubric=rubric, name=name, position=position)
    for position, title in enumerate(rows):
        RubricRow.objects.create(rubric=rubric, title=title, position=position)
    return rubric


@pytest.fixture
def plan(cast, school, group, subject):
    plan = make_plan(cast["teacher"], school, [group], state=Plan.State.PUBLISHED, subject=subject, title="Bråk")
    add_rubric(plan)
    return plan


FEEDBACK = {
    "title": "Bråkuppgiften",
    "current": "<p>Du jämför bråk med olika nämnare.</p>",
    "goal": "<p>Att förklara hur du tänker.</p>",
    "next_step": "Skriv ner ett resonemang i två steg.",
}


def make_entry(author, plan, pupil=None, group=None, shared=False, **fields):
    entry = actions.create_entry(author, plan, pupil=pupil, group=group, data={**FEEDBACK, **fields})
    if shared:
        entry = actions.share_entry(entry, author)
    return entry


def step(school, standard):
    return AssessmentScale.for_organiser(school.organiser).steps.get(standard=standard)


def make_summative(
    author, pupil, school, subject, year=2026, term=2, standard=StandardStep.SUFFICIENT, published=False
):
    assessment = actions.create_summative(
        author,
        pupil,
        school,
        {
            "subject": subject,
            "year": year,
            "term": term,
            "step": step(school, standard),
            "comment": "<p>Du löser problem med bråk och förklarar hur du tänker.</p>",
        },
    )
    if published:
        assessment = actions.publish_summative(assessment, author)
    return assessment


def mark(author, plan, pupil, row_title, level_name, date=None, comment=""):
    rubric = plan.rubric
    row = rubric.rows.get(title=row_title)
    level = rubric.levels.get(name=level_name)
    return actions.record_marks(author, plan, [(pupil, row, level, comment, date or datetime.date(2026, 11, 20))])[0]

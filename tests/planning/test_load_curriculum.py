import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from planning.loader import split_items
from planning.models import CentralContent, Course, Curriculum, Goal, GradingCriterion, Subject

BUNDLED = Path(__file__).resolve().parents[2] / "planning" / "data" / "curriculum-demo.json"

pytestmark = pytest.mark.django_db


def load(path, *args):
    out = []

    class Out:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    call_command("load_curriculum", str(path), *args, stdout=Out())
    return "".join(out)


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Curriculum, Subject, Course, CentralContent, GradingCriterion, Goal)
    ]


def test_it_loads_the_bundled_demo_curriculum():
    output = load(BUNDLED)
    assert "Loaded 7 subject(s)" in output
    assert set(Subject.objects.values_list("code", flat=True)) >= {
        "GRGRSVE01",
        "GRGRMAT01",
        "GRGRENG01",
        "GRGRSAM01",
        "GRGRBIO01",
        "SVE",
        "MAT",
    }
    assert set(Course.objects.values_list("code", flat=True)) == {"SVESVE01", "MATMAT01a"}
    lgr22 = Curriculum.objects.get(code="LGR22")
    assert set(lgr22.school_forms) == {"FK", "FH", "GR"}
    assert "not the official wording" in lgr22.source
    assert Goal.objects.filter(school_form="FK").exists() and Goal.objects.filter(school_form="FH").exists()
    swedish = Subject.objects.get(code="GRGRSVE01")
    assert set(swedish.central_content.values_list("years", flat=True)) == {"1-3", "4-6", "7-9"}
    item = swedish.central_content.get(years="7-9", position=0)
    assert item.heading == "Läsa och skriva" and item.text.startswith("Strategier för att läsa")
    # Year 3: knowledge requirements without a level; years 6 and 9: E, C and A by paragraph.
    year3 = swedish.criteria.filter(year=3)
    assert set(year3.values_list("level", "kind")) == {("", GradingCriterion.Kind.KNOWLEDGE_REQUIREMENT)}
    assert set(swedish.criteria.filter(year=9).values_list("level", flat=True)) == {"E", "C", "A"}
    course = Course.objects.get(code="SVESVE01")
    assert course.points == 100
    assert course.criteria.filter(level="A").count() == 2


def test_a_reload_changes_nothing_and_says_so():
    load(BUNDLED)
    before = snapshot()
    output = load(BUNDLED)
    assert "0 created, 0 updated" in output and "0 removed" in output
    assert snapshot() == before


def test_a_changed_text_is_updated_and_a_dropped_item_removed(tmp_path):
    load(BUNDLED)
    data = json.loads(BUNDLED.read_text())
    maths = next(subject for subject in data["subjects"] if subject["code"] == "GRGRMAT01")
    maths["centralContents"][0]["text"] = "<ul><li>Naturliga tal och positionssystemet.</li></ul>"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(data))
    output = load(path)
    assert "1 updated" in output and "1 removed" in output
    assert CentralContent.objects.get(subject__code="GRGRMAT01", years="1-3").text == (
        "Naturliga tal och positionssystemet."
    )


def test_dry_run_reports_and_changes_nothing():
    output = load(BUNDLED, "--dry-run")
    assert "Dry run, nothing changed" in output and "created" in output
    assert not Subject.objects.exists()


def test_it_reads_a_single_syllabus_api_response(tmp_path):
    path = tmp_path / "subject.json"
    path.write_text(
        json.dumps(
            {
                "apiPublisher": "Skolverket",
                "subject": {
                    "code": "GRGRKEM01",
                    "name": "Kemi",
                    "schoolTypes": ["GR"],
                    "version": 3,
                    "centralContents": [{"year": "7-9", "text": "<p>Partikelmodellen.</p>"}],
                    "knowledgeRequirements": [{"year": "9", "gradeStep": "E", "text": "Eleven beskriver."}],
                },
            }
        )
    )
    load(path)
    subject = Subject.objects.get(code="GRGRKEM01")
    assert subject.curriculum.code == "LGR22" and subject.version == 3
    assert subject.criteria.get().text == "Eleven beskriver."


def test_a_malformed_file_changes_nothing_and_names_every_problem(tmp_path):
    load(BUNDLED)
    before = snapshot()
    data = json.loads(BUNDLED.read_text())
    data["subjects"][0]["name"] = "Svenska (ny)"  # a valid change that must not be applied
    data["subjects"][1]["centralContents"][0]["year"] = "tidigt"
    data["subjects"][2]["knowledgeRequirements"][0]["gradeStep"] = "Q"
    del data["subjects"][3]["code"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError) as error:
        load(path)
    message = str(error.value)
    assert "nothing changed" in message and "3 problem(s)" in message
    assert "subjects[1].centralContents[0].year" in message and "'tidigt'" in message
    assert "subjects[2].knowledgeRequirements[0].gradeStep" in message
    assert "subjects[3].code: missing" in message
    assert snapshot() == before


def test_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"subjects": [\n  {"code": "X",}\n]}')
    with pytest.raises(CommandError, match=r"line 2, column"):
        load(path)
    assert not Subject.objects.exists()


def test_an_unknown_school_type_is_refused(tmp_path):
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"subject": {"code": "X1", "name": "X", "schoolTypes": ["UNI"]}}))
    with pytest.raises(CommandError, match="unknown school type UNI"):
        load(path)


def test_split_items_keeps_headings_and_list_items():
    items = split_items("<h4>Rubrik</h4><ul><li>Ett</li><li>Två &amp; tre</li></ul><p>Fyra</p>")
    assert items == [("Rubrik", "Ett"), ("Rubrik", "Två & tre"), ("Rubrik", "Fyra")]
    assert split_items("Bara text") == [("", "Bara text")]

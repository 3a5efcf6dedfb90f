import csv
from pathlib import Path

import pytest
from django.utils import translation

from unikum.content import check, plain_text
from unikum.content.checker import file_lexicon

from .cases import NEGATIVE, POSITIVE

# Beside the checkout (../shared), or the machine's shared folder when the checkout is a worktree.
CORPUS = next(
    (
        folder / "dev_corpus.tsv"
        for folder in (Path(__file__).resolve().parents[2].parent / "shared" / "checker", Path("/work/shared/checker"))
        if (folder / "dev_corpus.tsv").exists()
    ),
    Path("dev_corpus.tsv"),
)


def categories(text):
    return {finding.category for finding in check(text, lexicon=file_lexicon())}


@pytest.mark.parametrize(
    ("category", "text"), [(category, text) for category, texts in POSITIVE.items() for text in texts]
)
def test_it_flags_the_forbidden_text_in_its_category_only(category, text):
    assert categories(text) == {category}


@pytest.mark.parametrize("text", NEGATIVE)
def test_it_leaves_legitimate_text_alone(text):
    assert categories(text) == set()


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_it_finds_a_forbidden_sentence_anywhere_in_a_long_text(where):
    ordinary = "Du beskriver orsakerna med relevanta exempel och drar egna slutsatser. " * 40
    forbidden = "Han är tyvärr väldigt lat. "
    text = {"start": forbidden + ordinary, "middle": ordinary + forbidden + ordinary, "end": ordinary + forbidden}[
        where
    ]
    findings = check(text, lexicon=file_lexicon())
    assert [finding.category for finding in findings] == ["value_judgement"]
    assert text[findings[0].start : findings[0].end] == "lat"


def test_offsets_point_into_the_plain_text_of_html():
    html = "<p>Eleven har <strong>goda</strong> kunskaper.</p><ul><li>Hon &auml;r <em>sla</em>rvig.</li></ul>"
    plain = plain_text(html)
    (finding,) = check(html, lexicon=file_lexicon())
    assert plain[finding.start : finding.end] == finding.match == "slarvig"
    assert finding.category == "value_judgement"


def test_offsets_point_into_the_original_text_when_invisible_characters_hide_a_word():
    text = "Hon är en id\u200biot och la\u00adt."
    findings = check(text, lexicon=file_lexicon())
    assert [text[f.start : f.end] for f in findings] == ["id\u200biot", "la\u00adt"]


def test_it_reads_a_word_broken_over_lines_as_separate_sentences():
    assert categories("Eleven är\nlat") == set()  # a line break ends the sentence ...
    assert categories("Eleven är\nen idiot") == {"offensive"}  # ... but insults need no context


def test_the_message_is_swedish_by_default_and_english_when_asked():
    with translation.override("sv"):
        (finding,) = check("Eleven har hög frånvaro.", lexicon=file_lexicon())
    assert "Skola24" in finding.message and "registreras" in finding.message
    with translation.override("en"):
        (finding,) = check("Eleven har hög frånvaro.", lexicon=file_lexicon())
    assert finding.message.startswith("Attendance")
    (finding,) = check("Eleven har hög frånvaro.", language="en", lexicon=file_lexicon())
    assert finding.message.startswith("Attendance")


def test_a_finding_says_what_to_write_instead():
    for category, texts in POSITIVE.items():
        (finding,) = check(texts[0], lexicon=file_lexicon())
        assert finding.category == category
        assert any(word in finding.message for word in ("kriterier", "kunskap", "Ta bort"))


@pytest.mark.parametrize(
    "number",
    ["20120415-1234", "120415-1234", "1304151235", "2024-05-14", "070-123 45 67", "978-91-523-1234-6", "991399-1234"],
)
def test_it_does_not_flag_numbers_that_are_not_valid_personnummer(number):
    assert categories(f"Nummer: {number}.") == set()


def test_empty_and_blank_texts_have_no_findings():
    assert check("") == []
    assert check("   \n ") == []


@pytest.mark.skipif(not CORPUS.exists(), reason="the shared dev corpus is not checked out")
def test_it_meets_the_targets_on_the_dev_corpus():
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    found = dict.fromkeys(POSITIVE, 0)
    total = dict.fromkeys(POSITIVE, 0)
    ok_rows = ok_flagged = 0
    for label, text in rows:
        predicted = categories(text)
        if label == "ok":
            ok_rows += 1
            ok_flagged += bool(predicted)
        else:
            total[label] += 1
            found[label] += label in predicted
    for category in POSITIVE:
        assert found[category] / total[category] >= 0.95, category
    assert ok_flagged / ok_rows <= 0.02

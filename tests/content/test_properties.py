from hypothesis import given, settings
from hypothesis import strategies as st

from unikum.content import check, plain_text
from unikum.content.checker import file_lexicon

WORDS = st.sampled_from(
    [
        "Eleven",
        "är",
        "lat",
        "frånvaro",
        "av",
        "ljus",
        "får",
        "betyget",
        "C",
        "har",
        "ADHD",
        "<p>",
        "</p>",
        "<b>",
        "&amp;",
        "\u200b",
        "\n",
        "idiot",
        "120415-1235",
        "Hon",
        "inte",
        "i",
        "skolan",
        ":",
        "-",
        "é",
        "a\u030a",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_check_never_crashes_and_offsets_point_into_the_text(text):
    plain = plain_text(text)
    for finding in check(text, lexicon=file_lexicon()):
        assert 0 <= finding.start < finding.end <= len(plain)
        assert plain[finding.start : finding.end] == finding.match


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=40).map(" ".join))
def test_offsets_hold_for_texts_made_of_tricky_pieces(text):
    plain = plain_text(text)
    for finding in check(text, lexicon=file_lexicon()):
        assert 0 <= finding.start < finding.end <= len(plain)
        assert plain[finding.start : finding.end] == finding.match

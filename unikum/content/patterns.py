"""A small pattern language over words, used by the lexicon files.

A rule is a line of whitespace-separated elements; each element matches one word
(token) of a sentence, in order. See ``lexicon/README.md`` for the syntax:

=========================  =====================================================
``lat``                    the word; in a one-word rule also its inflections
                           (same Swedish Snowball stem: lata, latare, latast)
``~lat``                   inflections, also inside a longer rule
``=lat``                   exactly this form
``latmask*``               words starting with it (compounds, inflections)
``*frånvaro``              words ending with it (sjukfrånvaro)
``*frånvar*``              words containing it
``a|b|c``                  any of the alternatives (each may use the above)
``[a|b]``                  optional word
``...``                    up to three words of anything
``<name>``                 a word class: ``classes.txt`` (``<num>`` adds digits) or
                           built in (``<grade>``, ``<oldgrade>``, ``<person>``)
``^`` / ``$``              start / end of a sentence or line
``{a|b}``                  start matching here (otherwise the longest rare word)
``:`` ``%`` ``-``          punctuation is matched like a word
=========================  =====================================================

Matching starts at an *anchor*, the most specific plain-word element of a rule,
and extends backwards and forwards from there. Only sentences containing some
anchor word are looked at, which keeps the checker fast on long texts.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from .morphology import GENERATORS, inflect

GENERATED_KINDS = frozenset(GENERATORS)

GAP_MAX = 3
# A word, a punctuation mark, or an abbreviation with its full stops as one token ("t.ex.", "bl. a."),
# which the word class <adv> lists without spaces, so that "har t.ex. ADHD" reads like "har ADHD".
TOKEN_RE = re.compile(
    r"(?i:\b(?:t\.\s?ex|bl\.\s?a|s\.k|p\.g\.a|d\.v\.s|m\.a\.o|o\.s\.v|fr\.o\.m|t\.o\.m|f\.d)\b\.?)|\w+|[^\w\s]"
)

_stemmer = snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


class PatternError(ValueError):
    """A lexicon line or admin term that the pattern language cannot read."""


class Tok:
    __slots__ = ("start", "end", "text", "low")

    def __init__(self, start: int, end: int, text: str):
        self.start, self.end, self.text, self.low = start, end, text, text.lower()
        if " " in text:  # "bl. a."
            self.low = self.low.replace(" ", "")

    def __repr__(self) -> str:
        return f"Tok({self.text!r}@{self.start})"


@dataclass(frozen=True)
class Alt:
    """One way a word may look: exact, stem, prefix, suffix or infix."""

    kind: str
    value: str
    stem: str = ""

    def test(self, low: str) -> bool:
        kind, value = self.kind, self.value
        if kind == "exact":
            return low == value
        if kind == "prefix":
            return low.startswith(value)
        if kind == "suffix":
            return low.endswith(value)
        if kind == "infix":
            return value in low
        if kind == "head":  # a compound ending in the word: "nötallergi", not "allergi"
            return low.endswith(value) and len(low) >= len(value) + 3
        if kind == "modifier":  # a compound starting with it: "adhd-medicinen", not "adhd"
            return low.startswith(value) and len(low) >= len(value) + 3
        if kind == "digits":
            return low.isdigit()
        # stem
        return low == value or (low[:2] == value[:2] and stem(low) == self.stem)

    @property
    def specificity(self) -> int:
        return len(self.value)


# Frequent words make poor anchors: every sentence with them would be looked at.
COMMON_WORDS = frozenset(
    [
        "och",
        "i",
        "att",
        "det",
        "som",
        "en",
        "på",
        "är",
        "av",
        "för",
        "med",
        "till",
        "den",
        "har",
        "de",
        "inte",
        "om",
        "ett",
        "han",
        "hon",
        "men",
        "var",
        "jag",
        "sig",
        "från",
        "vi",
        "så",
        "kan",
        "man",
        "när",
        "år",
        "säga",
        "under",
        "också",
        "efter",
        "eller",
        "nu",
        "sin",
        "där",
        "vid",
        "mot",
        "ska",
        "då",
        "sedan",
        "skulle",
        "alla",
        "dig",
        "få",
        "får",
        "fick",
        "kom",
        "kommer",
        "blir",
        "blev",
        "hade",
        "varit",
        "vara",
        "bara",
        "ut",
        "hur",
        "mycket",
        "än",
        "sina",
        "sitt",
        "ni",
        "du",
        "bra",
        "lite",
        "här",
        "dessa",
    ]
)


@dataclass
class Element:
    kind: str  # word | builtin | gap | start | end
    alts: tuple = ()
    name: str = ""
    optional: bool = False
    exact: frozenset = frozenset()
    others: tuple = ()
    chosen: bool = False  # {word}: the author picked this element as the anchor

    def __post_init__(self):
        # Exact forms in a set, the rest tested one by one: classes have a hundred words.
        self.exact = frozenset(alt.value for alt in self.alts if alt.kind == "exact")
        self.others = tuple(alt for alt in self.alts if alt.kind != "exact")

    def test(self, low: str) -> bool:
        return low in self.exact or any(alt.test(low) for alt in self.others)

    def is_anchor_candidate(self) -> bool:
        return self.kind == "word" and not self.optional and all(alt.kind != "digits" for alt in self.alts)

    def is_letter_anchor(self) -> bool:
        """A required grade letter: far rarer in a text than any word, so the best anchor."""
        return self.kind == "builtin" and self.name in GRADE_ANCHORS and not self.optional

    def specificity(self) -> int:
        if any(alt.value in COMMON_WORDS for alt in self.alts):
            return 0
        return min(alt.specificity for alt in self.alts)


@dataclass(eq=False)
class Rule:
    category: str
    elements: list
    anchor: int
    flags: frozenset = frozenset()
    allow: bool = False
    source: str = ""
    anchor_alts: tuple = field(default=())

    prefilters: tuple = ()

    def __post_init__(self):
        element = self.elements[self.anchor]
        self.anchor_alts = GRADE_ANCHORS[element.name] if element.kind == "builtin" else element.alts
        found = [_prefilter(e) for i, e in enumerate(self.elements) if i != self.anchor]
        # The rarest first: a grade letter is rarer than a word.
        self.prefilters = tuple(sorted((f for f in found if f), key=lambda f: f[0][0] != "clean"))

    def plausible(self, low: str, clean: str, lo: int, hi: int) -> bool:
        """A cheap test on the raw sentence text, before it is tokenised: are the other words there?"""
        return all(regex.search(clean if key[0] == "clean" else low, lo, hi) for key, regex in self.prefilters)


_GRADE_NEAR = re.compile(r"(?<![\w-])[A-F](?![\w-])")
_OLD_GRADE_NEAR = re.compile(r"(?<![\w-])(?:IG|G|VG|MVG)(?![\w-])")


def _prefilter(element: Element):
    """((text kind, what), regex) that must find something in the sentence for the element to match, or None.

    The key is the same for equal tests, so a sentence is searched once per test, not once per rule.
    """
    if element.optional:
        return None
    if element.kind == "builtin" and element.name == "grade":
        return (("clean", "grade"), _GRADE_NEAR)
    if element.kind == "builtin" and element.name == "oldgrade":
        return (("clean", "oldgrade"), _OLD_GRADE_NEAR)
    if element.kind != "word" or any(alt.kind == "digits" for alt in element.alts):
        return None
    pieces = tuple(sorted({_piece(alt) for alt in element.alts}))
    return (("low", pieces), _union_regex(pieces))


def _piece(alt: Alt) -> str:
    """A regex that finds every token the alternative matches (and maybe a little more)."""
    value = alt.stem if alt.kind == "stem" else alt.value  # a Swedish stem is a prefix of its words
    piece = re.escape(value)
    if alt.kind == "modifier" and value[:1].isalnum():
        piece = r"(?<!\w)" + piece
    if alt.kind == "head" and value[-1:].isalnum():
        piece += r"(?!\w)"
    if alt.kind in ("exact", "prefix", "stem") and value[:1].isalnum():
        piece = r"(?<!\w)" + piece
    if alt.kind in ("exact", "suffix") and value[-1:].isalnum():
        piece += r"(?!\w)"
    return piece


@lru_cache(maxsize=4096)
def _union_regex(pieces: tuple) -> re.Pattern:
    return re.compile("|".join(pieces))


def parse_alt(text: str, single: bool) -> Alt:
    if not text:
        raise PatternError("empty alternative")
    if text in ("=", "~"):  # the punctuation mark itself ("Svenska = B")
        return Alt("exact", text)
    if text == "¦":  # the bar between table cells ("Svenska | A"); "|" separates alternatives
        return Alt("exact", "|")
    if text.startswith("="):
        return Alt("exact", text[1:].lower())
    if text.startswith("~"):
        value = text[1:].lower()
        return Alt("stem", value, stem(value))
    if text.startswith("+") and len(text) > 1:
        return Alt("head", text[1:].lower())
    if text.endswith("+") and len(text) > 1:
        return Alt("modifier", text[:-1].lower())
    starts, ends = text.startswith("*"), text.endswith("*") and len(text) > 1
    value = text.strip("*").lower()
    if not value:
        raise PatternError(f"{text!r} matches every word")
    if starts and ends:
        return Alt("infix", value)
    if starts:
        return Alt("suffix", value)
    if ends:
        return Alt("prefix", value)
    if single and value.isalpha():
        return Alt("stem", value, stem(value))
    return Alt("exact", value)


def _inflected_alts(part: str) -> list:
    """``lemma/a`` (or ``/n``, ``/nn``, ``/v``): every generated form; ``*lemma/n``: compounds ending in one."""
    word, kind = part.rsplit("/", 1)
    compound = word.startswith("*")
    try:
        forms = inflect(word.lstrip("*"), kind)
    except ValueError as error:
        raise PatternError(str(error)) from None
    return [Alt("suffix" if compound else "exact", form) for form in forms]


def parse_alts(text: str, single: bool, classes: dict | None = None) -> tuple:
    parts = text.split("|")
    # A lone word in a one-word rule stands for its inflections; listed forms are taken as written.
    single = single and len(parts) == 1
    alts = []
    for part in parts:
        if "/" in part and part.rsplit("/", 1)[1] in GENERATED_KINDS and len(part) > 3:
            alts.extend(_inflected_alts(part))
        elif part.startswith("<") and part.endswith(">") and len(part) > 2:
            name = part[1:-1]
            if classes is None or name not in classes:
                raise PatternError(f"unknown word class <{name}> (built-in classes cannot be alternatives)")
            alts.extend(classes[name])
        else:
            alts.append(parse_alt(part, single))
    return tuple(alts)


BUILTINS = frozenset({"grade", "oldgrade", "person", "sup", "code"})
# A superlative in -aste/-sta ("stökigaste", "bästa", "sämsta"), not "första", "sista".
_SUPERLATIVE = re.compile(
    r"\w{2,}(?:ast|aste)|bäst|bästa|sämst|sämsta|värst|värsta|minst|minsta|högst|högsta|lägst|lägsta|störst|största"
)
_NOT_SUPERLATIVE = frozenset({"fast", "kast", "last", "rast", "mast", "gäst", "påstå", "kontrast"})
# A course code: "MATMAT01a", "SVESVE02", "ENGENG05".
_COURSE_CODE = re.compile(r"[A-ZÅÄÖ]{5,}\d\d[a-z0-9]{0,3}")
GRADES = frozenset("ABCDEF")
OLD_GRADES = frozenset({"IG", "G", "VG", "MVG"})
# The lowercase words a grade letter is found by; element_matches then checks case and standing alone.
GRADE_ANCHORS = {
    "grade": tuple(Alt("exact", grade.lower()) for grade in sorted(GRADES)),
    "oldgrade": tuple(Alt("exact", grade.lower()) for grade in sorted(OLD_GRADES)),
}


def parse_elements(pattern: str, classes: dict) -> list:
    parts = pattern.split()
    if not parts:
        raise PatternError("empty pattern")
    single = len(parts) == 1
    elements = []
    for part in parts:
        chosen = part.startswith("{") and part.endswith("}") and len(part) > 2
        if chosen:
            part = part[1:-1]
        optional = part.startswith("[") and part.endswith("]") and len(part) > 2
        if optional:
            part = part[1:-1]
        if part == "...":
            elements.append(Element("gap"))
        elif part == "^":
            elements.append(Element("start"))
        elif part == "$":
            elements.append(Element("end"))
        elif part.startswith("<") and part.endswith(">") and len(part) > 2:
            name = part[1:-1]
            if name in BUILTINS:
                elements.append(Element("builtin", name=name, optional=optional))
            elif name in classes:
                elements.append(Element("word", alts=classes[name], name=name, optional=optional))
            else:
                raise PatternError(f"unknown word class <{name}>")
        else:
            elements.append(Element("word", alts=parse_alts(part, single, classes), optional=optional))
        if chosen:
            if not elements[-1].is_anchor_candidate():
                raise PatternError(f"{{{part}}} cannot start a match (optional, built-in or a number)")
            elements[-1].chosen = True
    return elements


def parse_rule(pattern: str, category: str, classes: dict, flags=(), allow=False, source="") -> Rule:
    elements = parse_elements(pattern, classes)
    candidates = [i for i, element in enumerate(elements) if element.is_anchor_candidate()]
    if not candidates:
        raise PatternError(f"{pattern!r} needs at least one required word")
    # The most specific word starts the match: fewer sentences to look at.
    anchor = max(candidates, key=lambda i: (elements[i].chosen, elements[i].specificity(), -i))
    letters = [i for i, element in enumerate(elements) if element.is_letter_anchor()]
    if letters and not allow and not elements[anchor].chosen:
        # A grade rule starts at its grade letter: "historia" or "betyget" alone say nothing.
        # (Allow rules keep their word, so that their span covers the words before the letter.)
        anchor = letters[-1]
    return Rule(category, elements, anchor, frozenset(flags), allow, source)


# --- matching --------------------------------------------------------------------------------


class Window:
    """The tokens of one sentence (or list item) around an anchor."""

    __slots__ = ("toks", "by_start", "text")

    def __init__(self, text: str, lo: int, hi: int):
        self.text = text
        self.toks = [Tok(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text, lo, hi)]
        self.by_start = {tok.start: i for i, tok in enumerate(self.toks)}


_CLAUSE_MARKS = frozenset(",;()•·*|")


def _standalone(window: Window, i: int) -> bool:
    """A single-letter token not glued to a hyphen or digit (E-nummer, B12)."""
    tok = window.toks[i]
    text = window.text
    after = text[tok.end : tok.end + 1]
    before = text[tok.start - 1 : tok.start] if tok.start else ""
    return after not in ("-", "–", "/", "'", "’") and before not in ("-", "/", "'", "’") and not after.isdigit()


def element_matches(element: Element, window: Window, i: int, ctx) -> bool:
    tok = window.toks[i]
    if element.kind == "word":
        return element.test(tok.low)
    name = element.name
    if name == "grade":
        return tok.text in GRADES and _standalone(window, i)
    if name == "oldgrade":
        return tok.text in OLD_GRADES and _standalone(window, i)
    if name == "person":
        return ctx.is_person(window, i)
    if name == "sup":
        return tok.low not in _NOT_SUPERLATIVE and _SUPERLATIVE.fullmatch(tok.low) is not None
    if name == "code":
        return _COURSE_CODE.fullmatch(tok.text) is not None
    raise AssertionError(name)


def _match(elements, ei: int, window: Window, ti: int, step: int, ctx):
    """Match elements[ei:] from token ti in direction step; return the last token index used, or None.

    Returns ``ti - step`` when nothing more was consumed.
    """
    if ei == len(elements):
        return ti - step
    element = elements[ei]
    n = len(window.toks)
    kind = element.kind
    if kind == "gap":
        for skip in range(GAP_MAX + 1):
            found = _match(elements, ei + 1, window, ti + step * skip, step, ctx)
            if found is not None:
                return found
            if not 0 <= ti + step * skip < n:
                break
        return None
    if kind == "start":
        at_start = ti < 0 or window.toks[ti].text in _CLAUSE_MARKS
        return _match(elements, ei + 1, window, ti, step, ctx) if at_start else None
    if kind == "end":
        at_end = ti >= n or window.toks[ti].text in _CLAUSE_MARKS
        return _match(elements, ei + 1, window, ti, step, ctx) if at_end else None
    if 0 <= ti < n and element_matches(element, window, ti, ctx):
        found = _match(elements, ei + 1, window, ti + step, step, ctx)
        if found is not None:
            return found
    if element.optional:
        return _match(elements, ei + 1, window, ti, step, ctx)
    return None


def match_rule(rule: Rule, window: Window, ai: int, ctx):
    """Match a rule whose anchor word is token ai; return (first, last) token indices or None."""
    elements = rule.elements
    anchor = elements[rule.anchor]
    if anchor.kind == "builtin" and not element_matches(anchor, window, ai, ctx):
        return None  # "c" in lowercase, or E-nummer
    last = _match(elements[rule.anchor + 1 :], 0, window, ai + 1, 1, ctx)
    if last is None:
        return None
    first = _match(elements[: rule.anchor][::-1], 0, window, ai - 1, -1, ctx)
    if first is None:
        return None
    return min(first, ai), max(last, ai)

"""Load the word lists in ``lexicon/`` and find their rules in a text.

``Lexicon`` is the compiled form: rules indexed by their anchor word, the word
classes, and the context tests that decide whether a word is said *about a
person* ("Eleven är lat") rather than about a thing ("en lat eftermiddag",
"huvudpersonen är lat").
"""

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate
from operator import add
from pathlib import Path

import ahocorasick_rs

from .patterns import (
    GRADES,
    OLD_GRADES,
    Alt,
    Element,
    PatternError,
    Rule,
    Window,
    match_rule,
    parse_alts,
    parse_rule,
    stem,
)

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
CATEGORIES = ("value_judgement", "offensive", "attendance", "grade_setting", "sensitive")
ALL_CATEGORIES = "*"  # allow rules in allow.txt hold for every category
FLAGS = frozenset({"person", "agent", "about"})

WORD_RE = re.compile(r"\w+")
# A sentence ends at ! ? a line break, or a full stop followed by space (not 16.00 or t.ex),
# but not at the full stop of an abbreviation: "Han har t.ex. ADHD" is one sentence. Some
# abbreviations often end a sentence too ("... dikter osv. Sen ..."): a capital letter after
# them starts a new one.
_NEVER_ENDS = (
    "t.ex", "t. ex", "t", "bl.a", "bl. a", "bl", "s.k", "kl", "ca", "p.g.a", "pga", "dvs", "d.v.s", "m.a.o", "fr.o.m",
    "t.o.m", "jfr", "enl", "inkl", "exkl", "ang", "f.d", "resp", "nr", "tel", "sid", "s", "kap", "v", "ev",
    "m.h.a", "mha", "u.a", "fr", "resp", "spec", "ff",
)  # fmt: skip
_MAY_END = ("osv", "o.s.v", "m.m", "mm", "m.fl", "mfl", "etc", "o.d", "e.d", "st", "min", "tim", "ggr", "f.kr", "e.kr")
_FULL_STOP_BODY = (
    r"\.(?=\s|$)"
    + "".join(rf"(?<!\b{re.escape(word)}\.)" for word in _NEVER_ENDS)
    + "(?:"
    + "".join(rf"(?<!\b{re.escape(word)}\.)" for word in _MAY_END)
    + r"|(?=\s+(?-i:[A-ZÅÄÖÉÜ0-9])))"
)
_BOUNDARY = re.compile(r"[!?\n]|" + _FULL_STOP_BODY, re.IGNORECASE)
_FULL_STOP = re.compile(_FULL_STOP_BODY, re.IGNORECASE)
_SENTENCE_MAX = 400
_MEMO_MAX = 200_000
_SENTENCES_MAX = 20_000  # remembered sentences per lexicon (a few MB at most)
# Definite and plural noun endings: a capitalised first word ending like this is a
# thing ("Texten är ..."), not a name.
_THING_SUBJECTS = frozenset({"det", "den", "detta", "denna", "dessa", "allt", "något", "inget", "vilket"})
_NOUN_ENDINGS = ("en", "et", "na", "er", "ar", "or", "ning", "het", "tion", "skap", "ism")
_JUDGEMENTS = ("value_judgement", "offensive")
# "Vi upplever honom som stökig": a verb of seeing before the person, "som" after.
_PERCEIVE = frozenset(
    {"upplever", "upplevde", "uppfattar", "uppfattade", "ser", "såg", "beskriver", "beskrev", "betraktar", "anser"}
)
# People in general as a subject ("människor som flydde"); "en lat människa" still counts.
_PEOPLE = frozenset({"människor", "personer", "individer", "folk", "familjer", "föräldrar", "barn", "elever"})


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].strip()


def read_classes(path: Path) -> dict:
    """``[name]`` headers, then one or more ``|``-separated terms per line."""
    classes: dict[str, list] = {}
    current = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = _strip_comment(raw)
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = classes.setdefault(line[1:-1].strip(), [])
            continue
        if current is None:
            raise PatternError(f"{path.name}:{number}: term before any [class] header")
        for part in line.split():
            current.extend(parse_alts(part, single=False))
    result = {name: tuple(alts) for name, alts in classes.items()}
    result["num"] = (*result.get("num_word", ()), Alt("digits", ""))
    return result


def read_rules(path: Path, category: str, classes: dict) -> list[Rule]:
    rules = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = _strip_comment(raw)
        if not line:
            continue
        source = f"{path.name}:{number}"
        words = line.split()
        flags = {word[1:] for word in words if word.startswith("@")}
        if flags - FLAGS:
            raise PatternError(f"{source}: unknown flag {sorted(flags - FLAGS)}")
        pattern = " ".join(word for word in words if not word.startswith("@"))
        allow = pattern.startswith("!")
        try:
            rules.append(parse_rule(pattern.lstrip("!"), category, classes, flags, allow, source))
        except PatternError as error:
            raise PatternError(f"{source}: {error}") from None
    return rules


@lru_cache(maxsize=1)
def file_rules() -> tuple[tuple, dict, frozenset]:
    """Rules, classes and first names from the files; read once per process."""
    classes = read_classes(LEXICON_DIR / "classes.txt")
    rules = []
    for category in CATEGORIES:
        rules += read_rules(LEXICON_DIR / f"{category}.txt", category, classes)
    rules += read_rules(LEXICON_DIR / "allow.txt", ALL_CATEGORIES, classes)
    names = frozenset(
        _strip_comment(line).lower()
        for line in (LEXICON_DIR / "names.txt").read_text(encoding="utf-8").splitlines()
        if _strip_comment(line)
    )
    return tuple(rules), classes, names


def _exact_set(classes: dict, name: str) -> frozenset:
    return frozenset(alt.value for alt in classes.get(name, ()) if alt.kind == "exact")


@lru_cache(maxsize=4096)
def _word_end_regex(word: str, letters: bool = False) -> re.Pattern:
    """The word (or one of the letters) at the end of a word; starting with a literal, it is found fast."""
    body = f"[{re.escape(word)}]" if letters else re.escape(word)
    return re.compile(body + r"(?!\w)")


_AUTOMATON_FROM = 20_000  # characters


@lru_cache(maxsize=64)
def _automaton(words: tuple) -> ahocorasick_rs.AhoCorasick:
    """The anchor words of a text; texts share their few sets of words (memoised)."""
    return ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches


class Lexicon:
    def __init__(self, rules, classes: dict, names: frozenset):
        self.rules = list(rules)
        self.classes = classes
        self.names = names
        self.pronouns = _exact_set(classes, "pronoun")
        self.person_nouns = _exact_set(classes, "person_noun")
        self.copulas = _exact_set(classes, "cop")
        self.auxiliaries = _exact_set(classes, "aux")
        self.adverbs = _exact_set(classes, "adv")
        self.articles = _exact_set(classes, "art")
        self.not_names = _exact_set(classes, "not_name")
        self.generic = _exact_set(classes, "generic")
        self.literary = classes.get("literary", ())
        self._literary = Element("word", alts=self.literary)
        self.possessives = _exact_set(classes, "possessive")
        self.metalinguistic = _exact_set(classes, "metalinguistic")
        self.title_cues = _exact_set(classes, "title_cue")
        self.speech_cues = _exact_set(classes, "speech_cue")
        self.manner_nouns = _exact_set(classes, "manner_noun")
        self.intensifiers = _exact_set(classes, "intensifier")
        self._build_index()
        # Neuter forms of the value words ("roligt", "gott"): "Kaffe är gott" is said of a thing.
        self.neuter_forms = frozenset(
            alt.value
            for rule in self.rules
            if len(rule.elements) == 1 and rule.category in _JUDGEMENTS and not rule.allow
            for alt in rule.elements[0].alts[1:]
            if alt.kind == "exact" and alt.value.endswith("t") and not alt.value.endswith("ast")
        )

    # --- anchors -----------------------------------------------------------------------------

    def _build_index(self):
        self._exact: dict[str, list] = {}
        self._stems: dict[str, list] = {}
        self._stem_keys: set[str] = set()
        self._globs: list[tuple[Alt, Rule]] = []
        for rule in self.rules:
            for alt in rule.anchor_alts:
                if alt.kind == "exact":
                    self._exact.setdefault(alt.value, []).append(rule)
                elif alt.kind == "stem":
                    self._exact.setdefault(alt.value, []).append(rule)
                    self._stems.setdefault(alt.stem, []).append(rule)
                    self._stem_keys.add(alt.value[:2])
                else:
                    self._globs.append((alt, rule))
        # Anchor letters whose every rule wants a capital grade letter there ("C", not "c").
        by_letter: dict[str, list] = {}
        for rule in self.rules:
            for alt in rule.anchor_alts:
                if len(alt.value) == 1 and alt.kind in ("exact", "stem"):
                    by_letter.setdefault(alt.value, []).append(rule)
        self._letter_anchors = frozenset(
            letter
            for letter, rules in by_letter.items()
            if letter.upper() in GRADES | OLD_GRADES
            and all(rule.elements[rule.anchor].kind == "builtin" for rule in rules)
            and not any(alt.test(letter) for alt, _ in self._globs)
        )
        glob_parts = {re.escape(alt.value) for alt, _ in self._globs}
        self._glob_filter = re.compile("|".join(sorted(glob_parts))) if glob_parts else None
        self._memo: dict[str, tuple] = {}
        self._sentences: dict[str, tuple] = {}  # a whole sentence's text -> its hits, relative

    def classify(self, low: str) -> tuple:
        """The rules anchored on this (lowercase) word."""
        found = self._memo.get(low)
        if found is not None:
            return found
        rules = list(self._exact.get(low, ()))
        if low[:2] in self._stem_keys and len(low) > 2:
            rules += self._stems.get(stem(low), ())
        if self._glob_filter is not None and self._glob_filter.search(low):
            rules += [rule for alt, rule in self._globs if alt.test(low)]
        found = tuple(dict.fromkeys(rules))
        if len(self._memo) > _MEMO_MAX:
            self._memo.clear()
        self._memo[low] = found
        return found

    def forget_sentences(self) -> None:
        """Drop the remembered sentence hits (benchmarks measure a text as if seen first)."""
        self._sentences.clear()

    def is_flagged_word(self, low: str) -> bool:
        """A value or offensive word on its own ("stökiga och lata elever"), not a word of a longer rule."""
        return any(
            not rule.allow and rule.category in _JUDGEMENTS and len(rule.elements) == 1 for rule in self.classify(low)
        )

    # --- scanning ----------------------------------------------------------------------------

    def anchor_words(self, low: str) -> list[str]:
        """The distinct words of ``low`` that some rule is anchored on."""
        words = set()
        for token in set(low.split()):  # whitespace never is a word character: same words as WORD_RE
            if token.isalnum():
                words.add(token)
            else:
                words.update(WORD_RE.findall(token))
        classify = self.classify
        return sorted(word for word in words if classify(word))

    def anchor_positions(self, clean: str, low: str, anchors) -> list[tuple[int, int, str]]:
        """(start, end, word) of every whole-word occurrence of the anchor words, in text order.

        One pass of an Aho–Corasick automaton over the text finds them all (a str.find per word
        read a long text once per word); only whole words are kept. A grade letter is looked for
        only as a capital (its rules want one).
        """
        found = []
        letters = []
        words = []
        for word in anchors:
            if word in self._letter_anchors:
                letters.append(word.upper())
            else:
                words.append(word)
        size = len(low)
        if words and size >= _AUTOMATON_FROM:
            automaton = _automaton(tuple(words))
            append = found.append
            for index, start, end in automaton.find_matches_as_indexes(low):
                # Whole words only (inlined: this runs once per match, tens of thousands of times).
                if start:
                    char = low[start - 1]
                    if char.isalnum() or char == "_":
                        continue
                if end < size:
                    char = low[end]
                    if char.isalnum() or char == "_":
                        continue
                append((start, end, words[index]))
        else:  # a short text: a few str.find are cheaper than building an automaton for its words
            for word in words:
                length = len(word)
                start = low.find(word)
                while start >= 0:
                    end = start + length
                    if not (start and _is_word_char(low[start - 1])) and not (end < size and _is_word_char(low[end])):
                        found.append((start, end, word))
                    start = low.find(word, start + 1)
            found.sort()
        if letters:
            for match in _word_end_regex("".join(sorted(letters)), letters=True).finditer(clean):
                start = match.start()
                if not start or not _is_word_char(clean[start - 1]):
                    found.append((start, start + 1, match.group().lower()))
            found.sort()
        return found

    def scan(self, clean: str, low: str) -> list[tuple[str, int, int]]:
        """(category, start, end) of every rule hit in ``clean``; ``low`` is its lowercase twin."""
        anchors = self.anchor_words(low)
        if not anchors:
            return []
        found = _Found()
        length = len(clean)
        # A long text: its sentence marks found once, then looked up for each word.
        sentences = _Sentences(clean) if length >= _AUTOMATON_FROM else None
        group: list = []  # (start, end, word) of the anchors in the current sentence
        lo = hi = -1
        bounded = False  # hi is where the sentence ends (not a length limit): later anchors may share it
        for start, end, word in self.anchor_positions(clean, low, anchors):
            if start >= hi or not bounded:
                if group:
                    self._scan_sentence(clean, low, lo, hi, bounded, group, found)
                lo, hi, bounded = sentences.around(start, end) if sentences else _sentence(clean, length, start, end)
                group = []
            group.append((start, end, word))
        if group:
            self._scan_sentence(clean, low, lo, hi, bounded, group, found)
        blocked, allowed = found.blocked, found.allowed
        if not blocked:
            return []
        blocked_at = sorted(hit[1] for hit in blocked)
        for lo, hi, start, rules in found.deferred:
            i = bisect_left(blocked_at, lo)
            if i < len(blocked_at) and blocked_at[i] < hi:
                self._apply(rules, clean, found.windows, lo, hi, start, blocked, allowed)
        if allowed:
            allowed.sort(key=lambda hit: hit[1])
            starts = [hit[1] for hit in allowed]
            blocked = [hit for hit in blocked if not _is_allowed(hit, allowed, starts)]
        return _offensive_over_value(blocked, clean)

    def _scan_sentence(self, clean, low, lo, hi, bounded, group, found) -> None:
        """The hits of the anchors in one sentence.

        A whole sentence (both ends are sentence marks, and every anchor is within reach of
        both) gives hits that depend on its text alone: they are remembered per lexicon, so a
        sentence repeated across texts (planning boilerplate) is matched once.
        """
        first, last = group[0], group[-1]
        whole = (
            bounded
            and (lo == 0 or lo > first[0] - _SENTENCE_MAX)
            and lo >= last[0] - _SENTENCE_MAX
            and hi <= first[1] + _SENTENCE_MAX
        )
        if not whole:
            self._anchor_hits(clean, low, lo, hi, group, found)
            return
        key = clean[lo:hi]
        known = self._sentences.get(key)
        if known is None:
            mine = _Found()
            self._anchor_hits(clean, low, lo, hi, group, mine)
            if mine.blocked:
                for _, _, start, rules in mine.deferred:  # all in this sentence, where something is blocked
                    self._apply(rules, clean, mine.windows, lo, hi, start, mine.blocked, mine.allowed)
            known = (
                tuple((category, start - lo, end - lo) for category, start, end in mine.blocked),
                tuple((category, start - lo, end - lo) for category, start, end in mine.allowed),
            )
            if len(self._sentences) >= _SENTENCES_MAX:
                self._sentences.clear()
            self._sentences[key] = known
        if known[0]:
            found.blocked += [(category, start + lo, end + lo) for category, start, end in known[0]]
            found.allowed += [(category, start + lo, end + lo) for category, start, end in known[1]]

    def _anchor_hits(self, clean, low, sentence_lo, sentence_hi, group, found) -> None:
        classify = self.classify
        span = None
        seen: dict = {}  # prefilter results in the current span
        for start, end, word in group:
            lo, hi = max(sentence_lo, start - _SENTENCE_MAX), min(sentence_hi, end + _SENTENCE_MAX)
            if span != (lo, hi):
                span, seen = (lo, hi), {}
            rules = []
            for rule in classify(word):
                for key, regex in rule.prefilters:
                    ok = seen.get(key)
                    if ok is None:
                        ok = seen[key] = regex.search(clean if key[0] == "clean" else low, lo, hi) is not None
                    if not ok:
                        break
                else:
                    rules.append(rule)
            if not rules:
                continue
            if all(rule.allow for rule in rules):
                found.deferred.append((lo, hi, start, rules))  # only needed where something is blocked
            else:
                self._apply(rules, clean, found.windows, lo, hi, start, found.blocked, found.allowed)

    def _apply(self, rules, clean, windows, lo, hi, start, blocked, allowed):
        window = windows.get(lo)
        if window is None:
            window = windows[lo] = Window(clean, lo, hi)
        ai = window.by_start.get(start)
        if ai is None:
            return
        for rule in rules:
            span = match_rule(rule, window, ai, self)
            if span is None:
                continue
            first, last = span
            if rule.flags and not self._context_ok(rule, window, first, last):
                continue
            if not rule.allow and self._mentioned(rule.category, window, first, last):
                continue
            hit = (rule.category, window.toks[first].start, window.toks[last].end)
            (allowed if rule.allow else blocked).append(hit)

    # --- context -----------------------------------------------------------------------------

    def is_person(self, window: Window, i: int, form: str | None = None, strict: bool = False) -> bool:
        """Is token i a pronoun, a word for a person, or a first name?

        ``form`` is the word said about it ("slarvig"), if known; ``strict``: a capitalised
        first word counts only if it is a known name.
        """
        tok = window.toks[i]
        low = tok.low
        if low in self.pronouns or low in self.person_nouns:
            # "många människor", "alla elever", "människor som ...": people in general, not the pupil.
            return low not in _PEOPLE and not (i > 0 and window.toks[i - 1].low in self.generic)
        text = tok.text
        if len(text) < 2 or not text[0].isupper() or low in self.not_names:
            return False
        if low in self.names or (low.endswith("s") and low[:-1] in self.names):
            return True
        if not text[1:].islower():
            return False
        if i > 0 and window.toks[i - 1].text not in (":", "•", "-", "–", "(", "*"):
            return True  # capitalised in mid-sentence
        if strict:
            return False
        # First word, not a known name: a name if a verb follows and it does not look like a noun.
        nxt = window.toks[i + 1].low if i + 1 < len(window.toks) else ""
        if nxt not in self.copulas and nxt not in self.auxiliaries:
            return False
        if form is not None and form in self.neuter_forms:
            return False  # "Kaffe är gott", "Fotboll är roligt": a thing
        if low.endswith(_NOUN_ENDINGS):
            # "Melker är slarvig", "Omar är latast": -er, -ar and -or end names too, and a plural noun
            # would take "slarviga" (a neuter one "slarvigt", ruled out above).
            return form is not None and low.endswith(("er", "ar", "or")) and not form.endswith("a")
        return True

    def _context_ok(self, rule: Rule, window: Window, first: int, last: int) -> bool:
        if self._is_literary(window):
            return False  # a character in a story, not the pupil
        if "about" in rule.flags:
            return self._mentions_person(window, first, last)
        if "person" in rule.flags and self._attributive(window, last):
            return True
        return self._predicated_of_person(window, first, agent="agent" in rule.flags)

    def _is_literary(self, window: Window) -> bool:
        test = self._literary.test
        return any(test(tok.low) for tok in window.toks)

    def _mentions_person(self, window: Window, first: int, last: int) -> bool:
        """'Din lathet', 'Latheten är Alexanders största problem': someone in the sentence owns it."""
        for j, tok in enumerate(window.toks):
            if first <= j <= last:
                continue
            low = tok.low
            if low in _INDIVIDUALS or low in self.possessives and low not in _GENERAL_POSSESSIVES:
                return True
            if low not in self.pronouns and low not in self.person_nouns and self.is_person(window, j, strict=True):
                return True  # a name, or a name's genitive
        return False

    # --- the mention guard ---------------------------------------------------------------------

    def _mentioned(self, category: str, window: Window, first: int, last: int) -> bool:
        """A word mentioned rather than used: ordet ”lat”, a title, a quotation, a story, a lesson topic."""
        toks = window.toks
        lows = [tok.low for tok in toks]
        if any(low in self.metalinguistic or low.startswith(_METALINGUISTIC_PREFIXES) for low in lows):
            return True  # "ordet idiot kommer från grekiskan", "sortera orden latmask, lathund ..."
        if self._quoted(window, first, last):
            return True
        if category != "grade_setting" and self._is_literary(window):
            return True  # "I filmen skolkar huvudpersonen": a character, not the pupil
        tok = toks[first]
        if (
            category in _JUDGEMENTS
            and first > 0
            and tok.text[:1].isupper()
            and not tok.text.isupper()
            and toks[first - 1].text not in (":", "•", "-", "–", "(", "*", "|", "!", "?", '"', "”")
            and any(
                lows[j] in self.title_cues or toks[j].text.endswith("s") and toks[j].text[:1].isupper()
                for j in range(max(0, first - 3), first)
            )
        ):
            return True  # a title: "Dostojevskijs roman Idioten", "filmen Skolkarna"
        if category != "grade_setting" and self._interpreted(lows, first):
            return True  # "Eleven tolkar varför Holden skolkar": someone else's act, interpreted
        # "Psykologi 1: vi läser om hur diagnoser som ADHD ställs"
        return category == "sensitive" and self._topic(window, lows)

    def _quoted(self, window: Window, first: int, last: int) -> bool:
        """Inside quotation marks, in a sentence about language, dialogue or a story, or a short quote."""
        toks = window.toks
        opened = None
        for j in range(first):
            text = toks[j].text
            if text in _QUOTES_OPEN and opened is None:
                opened = j
            elif text in _QUOTES_CLOSE and opened is not None and (text != '"' or j != opened):
                opened = None
        if opened is None:
            return False
        closed = next((j for j in range(last + 1, len(toks)) if toks[j].text in _QUOTES_CLOSE), None)
        if closed is None:
            # "”Du är en idiot!” och ...": the sentence ended at the "!" inside the quotation.
            after = window.text[toks[-1].end : toks[-1].end + 3]
            if not any(mark in after for mark in _QUOTES_CLOSE):
                return False
            closed = len(toks)
        return closed - opened <= 4 or any(tok.low in self.speech_cues for tok in toks)

    def _interpreted(self, lows: list, first: int) -> bool:
        for j in range(max(0, first - 12), first - 1):
            if lows[j] in _INTERPRET and lows[j + 1] in ("varför", "hur", "om", "när", "vad"):
                return True
        return False

    def _topic(self, window: Window, lows: list) -> bool:
        """Curriculum content: 'vi läser om', a subject heading, and no individual person in the sentence."""
        framed = any(
            low in _TOPIC_VERBS and j > 0 and lows[j - 1] in _TOPIC_SUBJECTS for j, low in enumerate(lows)
        ) or any(low in ("tema", "temat", "arbetsområde", "arbetsområdet", "centralt") for low in lows)
        if not framed:
            return False
        return not any(low in _INDIVIDUALS for low in lows)

    def _skippable(self, low: str) -> bool:
        return (
            low in self.adverbs
            or low in self.articles
            or low in self.intensifiers
            or low in (",", "och", "eller", "samt")
            or (self.is_flagged_word(low))
        )

    def _attributive(self, window: Window, last: int) -> bool:
        """'en lat elev', 'stökiga och lata elever', 'oorganiserad som person'."""
        toks = window.toks
        j = last + 1
        for _ in range(5):
            if j >= len(toks):
                return False
            low = toks[j].low
            if low in self.person_nouns:
                return True
            if low in self.manner_nouns:
                # "ett respektlöst sätt", "hans aggressiva beteende": about a person said in the sentence
                return self._mentions_person(window, last, j)
            if low == "som" and j + 1 < len(toks) and toks[j + 1].low in self.person_nouns:
                return True
            if low == "av" and j + 1 < len(toks) and toks[j + 1].low in ("sig", "naturen"):
                return True
            if not self._skippable(low):
                return False
            j += 1
        return False

    def _predicated_of_person(self, window: Window, first: int, agent: bool) -> bool:
        """'Eleven är lat', 'Hon är tyvärr väldigt lat', 'men är lat' (subject earlier), 'Familjen har flytt'."""
        toks = window.toks
        seen_verb = agent
        form = toks[first].low
        j = first - 1
        while j >= 0:
            low = toks[j].low
            # A thing can come from Etiopien too: "Kaffe kommer från ...": only known names there.
            if self.is_person(window, j, form, strict=agent):
                if not seen_verb and j > 0 and toks[j + 1].low == "som" and toks[j - 1].low in _PERCEIVE:
                    return True  # "Vi upplever honom som stökig"
                return seen_verb or (j > 0 and toks[j - 1].low in self.copulas)
            if low in (":", "–", "-") and j == 1 and self.is_person(window, 0, form, strict=True):
                return True  # a note about someone: "Ellen: stökig och pratig"
            if seen_verb and j >= 2 and toks[j - 1].low in _PREPOSITIONS and not self._skippable(low):
                j -= 2  # "Eleverna i 8B är ...", "Pappan till Hugo är ...": the subject is further back
                continue
            if low in self.copulas:
                seen_verb = True
            elif low in self.auxiliaries or low == "som" or low == "att" and seen_verb:
                pass
            elif seen_verb and low in (",", "och", "men", "samt", "utan", "–", "-", ":"):
                return self._clause_subject_is_person(window, j)
            elif seen_verb and low in _THING_SUBJECTS or not self._skippable(low):
                return False
            j -= 1
        # The sentence starts with the verb: a list item about the pupil ("Är lat och slarvig").
        return seen_verb

    def _clause_subject_is_person(self, window: Window, before: int) -> bool:
        return any(self.is_person(window, j) for j in range(min(before, 3)))


_PREPOSITIONS = frozenset({"i", "på", "till", "från", "med"})
_GENERAL_POSSESSIVES = frozenset({"deras", "er", "ert", "era", "sin", "sitt", "sina"})
_QUOTES_OPEN = frozenset({"”", "“", "«", '"', "„", "»"})
_QUOTES_CLOSE = frozenset({"”", "“", "»", '"', "«"})
_METALINGUISTIC_PREFIXES = ("ordklass", "synonym", "antonym", "etymolog", "ordled", "ordbok", "ordkunskap", "glos")
_INTERPRET = frozenset(
    {"tolkar", "tolka", "tolkade", "analyserar", "analysera", "diskuterar", "diskutera", "resonerar"}
)
_TOPIC_VERBS = frozenset(
    {"läser", "läste", "diskuterar", "arbetar", "pratar", "lär", "studerar", "tittar", "undersöker", "jämför", "går"}
)
_TOPIC_SUBJECTS = frozenset({"vi", "eleverna", "klassen", "gruppen", "man"})
# An individual: then a health or family word is about that person, not a lesson topic.
_INDIVIDUALS = frozenset(
    {"han", "hon", "hen", "du", "jag", "honom", "henne", "dig", "mig", "hans", "hennes", "hens", "din", "ditt", "dina",
     "eleven", "elevens", "mamman", "pappan", "mamma", "pappa", "familjen", "vårdnadshavaren", "föräldrarna"}
)  # fmt: skip


def _sentence(clean: str, length: int, start: int, end: int) -> tuple[int, int, bool]:
    """[lo, hi) of the sentence around clean[start:end] (a word), cut at _SENTENCE_MAX either side,
    and whether hi is where the sentence ends.

    Only the text near the word is searched: the last sentence mark before it, the first after.
    """
    floor = max(0, start - _SENTENCE_MAX)
    lo = max(floor, clean.rfind("\n", floor, start) + 1, clean.rfind("!", floor, start) + 1)
    lo = max(lo, clean.rfind("?", lo, start) + 1)
    stop = clean.rfind(".", lo, start)
    while stop >= 0:
        if _FULL_STOP.match(clean, stop):
            lo = stop + 1
            break
        stop = clean.rfind(".", lo, stop)
    after = _BOUNDARY.search(clean, end, end + _SENTENCE_MAX + 1)
    if after and after.start() < end + _SENTENCE_MAX:
        return lo, after.start(), True
    return lo, min(length, end + _SENTENCE_MAX), end + _SENTENCE_MAX >= length


_MARKS_AS_STOPS = str.maketrans({"\n": ".", "!": ".", "?": "."})


class _Sentences:
    """The sentence marks of a long text, found in one pass; a full stop is tested once, when needed.

    Gives the same bounds as ``_sentence`` without searching the text again around every word.
    """

    __slots__ = ("clean", "length", "marks", "_stops")

    def __init__(self, clean: str):
        self.clean, self.length = clean, len(clean)
        # Every ".", "!", "?" and line break, by splitting (C speed) rather than a regex loop.
        parts = clean.translate(_MARKS_AS_STOPS).split(".")
        self.marks = list(map(add, accumulate(map(len, parts[:-1])), range(len(parts) - 1)))
        self._stops: dict[int, bool] = {}

    def _ends(self, i: int) -> bool:
        position = self.marks[i]
        if self.clean[position] != ".":
            return True
        following = self.clean[position + 1 : position + 2]
        if following and not following.isspace():
            return False  # "16.00", "t.ex"
        known = self._stops.get(position)
        if known is None:
            known = self._stops[position] = _FULL_STOP.match(self.clean, position) is not None
        return known

    def around(self, start: int, end: int) -> tuple[int, int, bool]:
        marks = self.marks
        floor = max(0, start - _SENTENCE_MAX)
        lo = floor
        i = bisect_left(marks, start) - 1
        while i >= 0 and marks[i] >= floor:
            if self._ends(i):
                lo = marks[i] + 1
                break
            i -= 1
        limit = end + _SENTENCE_MAX
        i = bisect_left(marks, end)
        while i < len(marks) and marks[i] < limit:
            if self._ends(i):
                return lo, marks[i], True
            i += 1
        return lo, min(self.length, limit), limit >= self.length


_NEAR = 12  # "beter sig som | en idiot": a value phrase running into an insult
_LINKS = frozenset({"", "en", "ett", "som", "som en", "som ett", "likt en", "likt ett"})


def _offensive_over_value(hits: list, clean: str) -> list:
    """A value judgement inside or right next to an offensive phrase ("dum i huvudet", "beter sig som
    en idiot") is reported as offensive only: the sentence insults."""
    offensive = sorted((start, end) for category, start, end in hits if category == "offensive")
    if not offensive:
        return hits
    starts = [start for start, _ in offensive]

    def inside(start: int, end: int) -> bool:
        i = bisect_right(starts, end + _NEAR) - 1
        while i >= 0 and offensive[i][1] >= start:
            off_start, off_end = offensive[i]
            if off_start <= start and off_end >= end:
                return True
            if end <= off_start and clean[end:off_start].strip().lower() in _LINKS:
                return True
            i -= 1
        return False

    return [hit for hit in hits if hit[0] != "value_judgement" or not inside(hit[1], hit[2])]


class _Found:
    """Hits collected while scanning: blocked, allowed, allow rules to try later, tokenised windows."""

    __slots__ = ("blocked", "allowed", "deferred", "windows")

    def __init__(self):
        self.blocked: list = []
        self.allowed: list = []
        self.deferred: list = []
        self.windows: dict[int, Window] = {}


def _is_allowed(hit, allowed, starts) -> bool:
    """Does an allow hit of the same category (or of all) overlap this hit?"""
    category, start, end = hit
    i = bisect_left(starts, end) - 1
    while i >= 0 and allowed[i][1] > start - _SENTENCE_MAX:
        allow_category, allow_start, allow_end = allowed[i]
        if allow_end > start and allow_category in (ALL_CATEGORIES, category):
            return True
        i -= 1
    return False


def compile_rules(extra_rules=()) -> Lexicon:
    rules, classes, names = file_rules()
    return Lexicon(list(rules) + list(extra_rules), classes, names)


def parse_term(pattern: str, category: str, allow: bool) -> Rule:
    """A rule from an admin-entered term (same syntax as the files, no flags)."""
    _, classes, _ = file_rules()
    return parse_rule(pattern, category if not allow or category else ALL_CATEGORIES, classes, (), allow, "admin")

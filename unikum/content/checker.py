"""The content checker: what a free text may not say, and why.

``check(text)`` returns a list of ``Finding``. The rules live in the word lists in
``lexicon/`` (reviewed like code) plus the terms an administrator adds as
``ContentTerm`` rows; personnummer are found by date and check digit.
"""

import logging
import threading
import time
from dataclasses import asdict, dataclass

from django.utils.translation import get_language

from . import personnummer
from .lexicon import CATEGORIES, Lexicon, compile_rules
from .text import Normalised, to_plain

logger = logging.getLogger(__name__)

ALL = (*CATEGORIES, "personnummer")

# Swedish is the product text; English for users who chose English. Kept here
# rather than in a .po file so the checker speaks both without compiled catalogues.
MESSAGES = {
    "value_judgement": (
        "Värderande omdöme om en person. Texten ska bara beskriva elevens kunskapsutveckling. "
        "Skriv i stället vad eleven visar i förhållande till målen och kriterierna.",
        "A value judgement about a person. The text may only describe the pupil's knowledge "
        "development. Describe instead what the pupil shows against the goals and criteria.",
    ),
    "offensive": (
        "Kränkande uttryck. Sådana ord får aldrig förekomma. Beskriv i stället sakligt vad eleven "
        "kan och nästa steg i förhållande till kriterierna.",
        "Offensive wording. Such words must never be used. Describe instead, factually, what the "
        "pupil can do and the next step against the criteria.",
    ),
    "attendance": (
        "Närvaro och frånvaro registreras i Skola24, inte här. Ta bort uppgiften och beskriv "
        "elevens kunskaper i förhållande till kriterierna.",
        "Attendance and absence are recorded in Skola24, not here. Remove it and describe the "
        "pupil's knowledge against the criteria.",
    ),
    "grade_setting": (
        "Betyg sätts i ProCapita, inte i dokumentationen. Beskriv i stället vilka kunskaper eleven "
        "visar i förhållande till kriterierna.",
        "Grades are set in ProCapita, not in the documentation. Describe instead which knowledge "
        "the pupil shows against the criteria.",
    ),
    "sensitive": (
        "Känsliga personuppgifter (hälsa, diagnos, medicin, religion, ursprung, familj eller "
        "sociala förhållanden) hör inte hit. Ta bort dem och beskriv kunskapsutvecklingen.",
        "Sensitive personal data (health, diagnosis, medication, religion, origin, family or social "
        "circumstances) does not belong here. Remove it and describe the knowledge development.",
    ),
    "personnummer": (
        "Personnummer får inte skrivas i fritext. Ta bort numret; eleven identifieras ändå av dokumentet.",
        "A personal identity number must not be written in free text. Remove it; the document "
        "already identifies the pupil.",
    ),
}


@dataclass(frozen=True)
class Finding:
    category: str
    start: int
    end: int
    match: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def message_for(category: str, language: str | None = None) -> str:
    language = language or get_language() or "sv"
    swedish, english = MESSAGES[category]
    return english if language.lower().startswith("en") else swedish


# --- the compiled lexicon, with the admin's terms ---------------------------------------------

_lock = threading.Lock()
_state = {"lexicon": None, "version": None, "checked": 0.0}
VERSION_KEY = "unikum.content.lexicon-version"
VERSION_POLL_SECONDS = 5.0


def file_lexicon() -> Lexicon:
    """The word lists only, without the database terms (evaluation, benchmarks)."""
    lexicon = _state.get("files")
    if lexicon is None:
        lexicon = _state["files"] = compile_rules()
    return lexicon


def _shared_version():
    from django.core.cache import cache

    try:
        return cache.get(VERSION_KEY)
    except Exception:  # a cache outage must not stop teachers from saving
        logger.warning("content checker: cache unavailable, using the local lexicon", exc_info=True)
        return None


def invalidate() -> None:
    """Forget the compiled lexicon here and tell other processes (via the cache) to do so."""
    from django.core.cache import cache

    with _lock:
        _state["lexicon"] = None
    try:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:
        logger.warning("content checker: could not publish the lexicon version", exc_info=True)


def _database_rules():
    from django.db import DatabaseError

    from .models import ContentTerm

    try:
        terms = list(ContentTerm.objects.all())
    except (DatabaseError, RuntimeError):
        # No table yet (before migrate) or no database at all (a test without db access).
        logger.info("content checker: no ContentTerm table, using the word lists only")
        return None
    return [term.as_rule() for term in terms]


def get_lexicon() -> Lexicon:
    """The word lists plus the admin's terms, recompiled after a change.

    Changes in this process take effect at once (signals call ``invalidate``);
    other processes notice the new version in the shared cache within
    ``VERSION_POLL_SECONDS``.
    """
    now = time.monotonic()
    lexicon = _state["lexicon"]
    if lexicon is not None and now - _state["checked"] < VERSION_POLL_SECONDS:
        return lexicon
    version = _shared_version()
    with _lock:
        _state["checked"] = now
        if _state["lexicon"] is not None and version == _state["version"]:
            return _state["lexicon"]
        rules = _database_rules()
        lexicon = compile_rules(rules) if rules else file_lexicon()
        _state["lexicon"] = lexicon
        # Without a database, retry after the poll interval (a fresh object never equals a version).
        _state["version"] = version if rules is not None else object()
        return lexicon


# --- checking ---------------------------------------------------------------------------------


def plain_text(text: str, is_html: bool | None = None) -> str:
    """The text whose offsets ``check`` reports (HTML converted, if it is HTML)."""
    return to_plain(text or "", is_html)


def check(text: str, language: str | None = None, *, is_html: bool | None = None, lexicon=None) -> list[Finding]:
    """Check a free text; return what it must not say, in reading order.

    ``text`` may be plain text or HTML (detected unless ``is_html`` says); offsets
    refer to ``plain_text(text)``. ``language`` picks the message language
    (default: the active Django language).
    """
    plain = plain_text(text, is_html)
    if not plain.strip():
        return []
    lexicon = lexicon or get_lexicon()
    norm = Normalised(plain)
    hits = lexicon.scan(norm.clean, norm.low)
    hits += [("personnummer", start, end) for start, end in personnummer.find(norm.clean)]
    findings = []
    messages: dict[str, str] = {}
    for category, start, end in _merge(hits):
        start, end = norm.span(start, end)
        message = messages.get(category)
        if message is None:
            message = messages[category] = message_for(category, language)
        findings.append(Finding(category, start, end, plain[start:end], message))
    return findings


def _merge(hits):
    """One finding per overlapping run of hits in the same category."""
    merged: list[list] = []
    for category, start, end in sorted(hits, key=lambda hit: (hit[1], -hit[2])):
        for previous in reversed(merged[-8:]):
            if previous[0] == category and start <= previous[2]:
                previous[2] = max(previous[2], end)
                break
        else:
            merged.append([category, start, end])
    return [tuple(item) for item in merged]

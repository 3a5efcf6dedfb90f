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
# The message speaks to the person writing: staff about a pupil, a pupil about their own
# work, a guardian about their child. {attendance} and {grading} are the organiser's systems.
WRITERS = ("staff", "pupil", "guardian")
_INSTEAD = {
    "staff": (
        "Skriv i stället vad eleven visar i förhållande till målen och kriterierna.",
        "Describe instead what the pupil shows against the goals and criteria.",
    ),
    "pupil": (
        "Skriv i stället om vad du har lärt dig, hur du har arbetat och vad du vill utveckla.",
        "Write instead about what you have learnt, how you worked and what you want to improve.",
    ),
    "guardian": (
        "Skriv i stället om ditt barns lärande, till exempel vad ni ser hemma eller vill veta mer om.",
        "Write instead about your child's learning, for example what you notice at home or want to know.",
    ),
}
_MESSAGES = {
    "value_judgement": (
        "Värderande omdöme om en person. Texten ska handla om kunskaper och lärande, inte om personen.",
        "A value judgement about a person. The text should be about knowledge and learning, not the person.",
    ),
    "offensive": (
        "Kränkande uttryck. Sådana ord får aldrig förekomma.",
        "Offensive wording. Such words must never be used.",
    ),
    "attendance": (
        "Närvaro och frånvaro registreras i {attendance}, inte här. Ta bort uppgiften.",
        "Attendance and absence are recorded in {attendance}, not here. Remove it.",
    ),
    "grade_setting": (
        "Betyg sätts i {grading}, inte i dokumentationen. Ta bort betyget.",
        "Grades are set in {grading}, not in the documentation. Remove the grade.",
    ),
    "sensitive": (
        "Känsliga personuppgifter (hälsa, diagnos, medicin, religion, ursprung, familj eller "
        "sociala förhållanden) hör inte hit. Ta bort dem.",
        "Sensitive personal data (health, diagnosis, medication, religion, origin, family or social "
        "circumstances) does not belong here. Remove it.",
    ),
    "personnummer": (
        "Personnummer får inte skrivas i fritext. Ta bort numret; dokumentet visar ändå vem det gäller.",
        "A personal identity number must not be written in free text. Remove it; the document "
        "already shows who it is about.",
    ),
}
SYSTEM_KEYS = ("attendance", "grading")
# Without the organiser's names: a description of the system, never another organiser's product.
_GENERIC_SYSTEMS = {
    "attendance": ("närvarosystemet", "the attendance system"),
    "grading": ("elevregistret", "the pupil register"),
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


def default_systems() -> dict:
    """The names of the attendance and grading systems when the caller gives none (settings)."""
    from django.conf import settings

    return dict(getattr(settings, "CONTENT_CHECK_SYSTEMS", None) or {})


def message_for(
    category: str, language: str | None = None, *, writer: str | None = None, systems: dict | None = None
) -> str:
    """The explanation and what to write instead, in the user's language, to the person writing."""
    language = language or get_language() or "sv"
    english = language.lower().startswith("en")
    writer = writer if writer in WRITERS else "staff"
    names = {**default_systems(), **{key: value for key, value in (systems or {}).items() if value}}
    values = {key: str(names.get(key) or generic[english])[:80] for key, generic in _GENERIC_SYSTEMS.items()}
    text = _MESSAGES[category][english].format(**values)
    return f"{text} {_INSTEAD[writer][english]}"


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


def check(
    text: str,
    language: str | None = None,
    *,
    is_html: bool | None = None,
    lexicon=None,
    writer: str | None = None,
    systems: dict | None = None,
) -> list[Finding]:
    """Check a free text; return what it must not say, in reading order.

    ``text`` may be plain text or HTML (detected unless ``is_html`` says); offsets
    refer to ``plain_text(text)``. ``language`` picks the message language
    (default: the active Django language); ``writer`` ("staff", "pupil" or
    "guardian") whom the message speaks to; ``systems`` the organiser's
    ``{"attendance": ..., "grading": ...}`` system names (default: the
    ``CONTENT_CHECK_SYSTEMS`` setting, else a description).
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
            message = messages[category] = message_for(category, language, writer=writer, systems=systems)
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

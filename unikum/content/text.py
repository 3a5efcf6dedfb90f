"""Turn what a teacher typed into the plain text the checker reads.

Two steps, both keeping offsets honest:

* ``to_plain(text)`` converts HTML (if the text looks like HTML) to plain text:
  tags go, block tags become line breaks, inline tags vanish without a space (so
  ``<b>L</b>AT`` reads ``LAT``), entities are decoded, script and style content is
  dropped. Findings are reported as offsets into this plain text.
* ``Normalised(plain)`` removes characters that hide words from a tokenizer
  (zero-width spaces, soft hyphens, joiners, BOM), composes decomposed letters
  (``a`` + combining ring -> ``å``), reads Cyrillic, Greek and fullwidth letters
  that look like Latin ones as Latin inside otherwise Latin words (``idiоt`` with
  a Cyrillic ``о``) and lowercases, remembering for every character where it came
  from so offsets can be mapped back.
"""

import html
import re
import unicodedata

# Characters that are invisible inside words and only serve to dodge filters.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")

# Letters of other scripts that look like Latin letters, one for one (offsets stay valid).
# They are read as Latin only inside a word whose other letters are Latin (or look-alikes
# too), so a Russian or Greek word in a language lesson stays what it is.
_LOOK_ALIKES = {
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ӏ": "I", "Ү": "Y", "Ԛ": "Q", "Ԝ": "W", "Ӓ": "Ä",
    "Ӧ": "Ö", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s", "і": "i",
    "ј": "j", "ԁ": "d", "һ": "h", "ӏ": "l", "ү": "y", "ԛ": "q", "ԝ": "w", "к": "k", "ӓ": "ä", "ӧ": "ö",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "α": "a", "ι": "i", "κ": "k", "ν": "v", "ρ": "p",
    "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j",
}  # fmt: skip
_LOOK_ALIKES.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})  # fullwidth A-Z
_LOOK_ALIKES.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})  # fullwidth a-z
_FOLD_TABLE = str.maketrans(_LOOK_ALIKES)
_LOOK_ALIKE_CLASS = re.escape("".join(_LOOK_ALIKES))
_LOOK_ALIKE_WORD = re.compile(rf"\w*[{_LOOK_ALIKE_CLASS}]\w*")
_OTHER_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u052f\uff01-\uffef]")
# One pass finds whether a text needs any of this work at all.
_SUSPECT = re.compile(f"[{_INVISIBLE}\u0370-\u03ff\u0400-\u052f\uff21-\uff3a\uff41-\uff5a]")

_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z/!?]|&(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});")
_DROP_CONTENT = re.compile(
    r"<(script|style|template|noscript|iframe|object)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|<[!?][^>]*>")
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    ]
)


_CELL_TAGS = frozenset({"td", "th"})
_LINE_BREAK = re.compile(r"\n\s*")


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(text))


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, as a reader would see the words."""
    markup = _DROP_CONTENT.sub("\n", markup)
    markup = _COMMENT.sub("", markup)

    def replace(match: re.Match) -> str:
        name = (match.group(1) or "").lower()
        if name in _CELL_TAGS:
            # A table row reads as one line, its cells separated: "Svenska | A".
            return "" if match.group().startswith("</") else " | "
        return "\n" if name in _BLOCK_TAGS else ""

    text = _TAG.sub(replace, markup)
    text = html.unescape(text).replace("\xa0", " ")
    # Collapse the blank lines that nested block tags leave behind: spaces and tabs before a
    # line break and all whitespace after it go (the same as re.sub(r"[ \t]*\n\s*", "\n"),
    # but a split at the line breaks is many times faster on a long text).
    lines = _LINE_BREAK.split(text)
    last = lines.pop()
    lines = [line.rstrip(" \t") for line in lines]
    lines.append(last)
    return "\n".join(lines).strip("\n")


def to_plain(text: str, is_html: bool | None = None) -> str:
    """The text the checker reads; offsets in findings refer to it."""
    if is_html is None:
        is_html = looks_like_html(text)
    return html_to_text(text) if is_html else text


class Normalised:
    """Lowercased, invisible-free, NFC text with a map back to the original.

    ``clean`` keeps the original case (grade letters are told apart by case);
    ``low`` is its lowercase twin with identical length; ``origin(i)`` is the
    index in the original text of ``clean[i]``.
    """

    __slots__ = ("original", "clean", "low", "_map")

    def __init__(self, original: str):
        self.original = original
        self._map = None
        clean = original
        suspect = _SUSPECT.search(clean)
        if not unicodedata.is_normalized("NFC", clean) or (suspect and _INVISIBLE_RE.search(clean, suspect.start())):
            clean, self._map = _compose(clean)
        if suspect and _LOOK_ALIKE_WORD.search(clean):
            clean = _fold_look_alikes(clean)
        low = clean.lower()
        if len(low) != len(clean):  # e.g. "İ" lowercases to two characters
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in clean)
        self.clean = clean
        self.low = low

    def origin(self, index: int) -> int:
        if self._map is None:
            return index
        if index >= len(self._map):
            return len(self.original)
        return self._map[index]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) for clean[start:end]."""
        if self._map is None:
            return start, end
        first = self.origin(start)
        if end <= start:
            return first, first
        last = self.origin(end - 1) + 1
        # A composed letter covers its combining marks in the original.
        while last < len(self.original) and unicodedata.combining(self.original[last]):
            last += 1
        return first, last


def _compose(text: str) -> tuple[str, list[int]]:
    """Drop invisible characters and compose combining marks, with an index map."""
    out: list[str] = []
    index_map: list[int] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in _INVISIBLE:
            i += 1
            continue
        j = i + 1
        while j < n and (unicodedata.combining(text[j]) or text[j] in _INVISIBLE):
            j += 1
        cluster = "".join(c for c in text[i:j] if c not in _INVISIBLE)
        composed = unicodedata.normalize("NFC", cluster) if j > i + 1 else cluster
        for offset, piece in enumerate(composed):
            out.append(piece)
            index_map.append(i if offset == 0 else min(j - 1, i + offset))
        i = j
    return "".join(out), index_map


def _fold_look_alikes(text: str) -> str:
    """Read look-alike letters as Latin in words that are otherwise Latin; the length is kept."""

    def fold(match: re.Match) -> str:
        word = match.group()
        folded = word.translate(_FOLD_TABLE)
        return word if _OTHER_SCRIPT.search(folded) else folded

    return _LOOK_ALIKE_WORD.sub(fold, text)

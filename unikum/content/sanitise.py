"""Rich text sanitising: one function, one small allowlist, nh3 underneath.

Everything not on the list goes: scripts and styles with their content, event
handlers, ``style`` and ``class`` attributes, iframes, forms, images. Links keep
only ``href`` with an http, https or mailto URL and get
``rel="noopener noreferrer"``. The URL test runs on the decoded value with all
whitespace, control and invisible format characters removed, so
``java&#x09;script:``, ``JaVaScRiPt:`` and ``javascript\\u200b:`` are dropped too.
"""

import re
import unicodedata

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_SAFE_URL = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)


def _strip_invisible(value: str) -> str:
    return "".join(c for c in value if not (c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")))


def _filter_attribute(tag: str, attribute: str, value: str):
    if attribute == "href":
        compact = _strip_invisible(value)
        if not _SAFE_URL.match(compact) or compact != value.strip():
            return None
    return value


def sanitise_html(html: str) -> str:
    """Return the HTML cut down to the allowlist; safe to render with ``|safe``."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math"},
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )

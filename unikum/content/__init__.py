"""Free-text content checker and HTML sanitiser (cross-cutting; imports no app).

    from unikum.content import check, sanitise_html

See ``README.md`` in this package.
"""

from .checker import Finding, check, plain_text
from .sanitise import sanitise_html

__all__ = ["Finding", "check", "plain_text", "sanitise_html"]

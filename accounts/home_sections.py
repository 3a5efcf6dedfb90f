"""Sections that other apps add to Min sida.

accounts imports no documentation app, so apps register here instead (in their
AppConfig.ready): a function ``section(request) -> (template_name, context) | None``.
Sections are rendered after the role blocks, in registration order.
"""

from collections.abc import Callable

from django.http import HttpRequest

Section = Callable[[HttpRequest], tuple[str, dict] | None]

_sections: list[Section] = []


def register(section: Section) -> Section:
    if section not in _sections:
        _sections.append(section)
    return section


def render_context(request) -> list[tuple[str, dict]]:
    return [result for section in _sections if (result := section(request)) is not None]

"""Sections that other apps add to Min sida and to the pupil page.

accounts imports no documentation app, so apps register here instead (in their
AppConfig.ready):

- ``register(section)`` for Min sida: ``section(request) -> (template_name, context) | None``;
- ``register_pupil_section(section)`` for the pupil page that staff open:
  ``section(request, pupil) -> (template_name, context) | None``.

Sections are rendered after the page's own blocks, in registration order.
"""

from collections.abc import Callable

from django.http import HttpRequest

Section = Callable[[HttpRequest], tuple[str, dict] | None]
PupilSection = Callable[[HttpRequest, object], tuple[str, dict] | None]

_sections: list[Section] = []
_pupil_sections: list[PupilSection] = []


def register(section: Section) -> Section:
    if section not in _sections:
        _sections.append(section)
    return section


def register_pupil_section(section: PupilSection) -> PupilSection:
    if section not in _pupil_sections:
        _pupil_sections.append(section)
    return section


def render_context(request) -> list[tuple[str, dict]]:
    return [result for section in _sections if (result := section(request)) is not None]


def render_pupil_context(request, pupil) -> list[tuple[str, dict]]:
    return [result for section in _pupil_sections if (result := section(request, pupil)) is not None]

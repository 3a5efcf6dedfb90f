"""Every page requires login unless it is on the short public list."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
    "set_language",
}


def named_routes(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin has its own login and staff check
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
            yield f"{namespace}{entry.name}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(named_routes())))
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    if name in PUBLIC:
        assert response.status_code in (200, 302, 405)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_public_list_is_short():
    assert len(PUBLIC) <= 6

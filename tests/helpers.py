import re

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def page_text(response) -> str:
    """The page's HTML without CSRF tokens, whose random letters can contain any short name."""
    return _TOKEN.sub("", response.content.decode())


def second_connection():
    """Another session on the test database, as a concurrent request or run would have.
    Only what the test has committed is visible to it (``django_db(transaction=True)``)."""
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
    )

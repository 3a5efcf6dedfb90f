import re

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def page_text(response) -> str:
    """The page's HTML without CSRF tokens, whose random letters can contain any short name."""
    return _TOKEN.sub("", response.content.decode())

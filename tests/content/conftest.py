import pytest

from unikum.content.checker import invalidate


@pytest.fixture(autouse=True)
def fresh_lexicon():
    """Test transactions roll back ContentTerm rows without signals: forget the compiled lexicon."""
    invalidate()
    yield
    invalidate()

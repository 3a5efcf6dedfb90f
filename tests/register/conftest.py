import pytest
from django.core.management import call_command

from accounts.register.models import ImportRun

from .world import FakeRegister


@pytest.fixture
def fake(httpserver):
    return FakeRegister(httpserver)


@pytest.fixture
def sync(db, fake):
    """Run sync_ss12000 against the fake server; return the run it recorded."""

    def run(*args, **options):
        call_command("sync_ss12000", *args, **{**fake.options(), "verbosity": 0, **options})
        return ImportRun.objects.order_by("-pk").first()

    return run

"""Runs recorded and kept from overlapping."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organiser, User
from accounts.register.models import ImportLock, ImportRun
from accounts.register.runs import LOCK_NAME

from ..helpers import second_connection
from . import csvfiles


@pytest.mark.django_db(transaction=True)
def test_a_run_while_another_is_applying_is_refused_and_changes_nothing(tmp_path):
    Organiser.objects.create(name="Exempels kommun")
    paths = csvfiles.write(tmp_path)
    lock = ImportLock.objects.create(name=LOCK_NAME)
    with second_connection() as other_run:
        other_run.execute("SELECT * FROM register_importlock WHERE id = %s FOR UPDATE", [lock.pk])

        with pytest.raises(CommandError, match="another register import is running"):
            call_command("import_procapita", *paths, verbosity=0)

        refused = ImportRun.objects.get()
        assert refused.status == ImportRun.Status.FAILED
        assert "another register import is running" in refused.error
        assert not User.objects.exclude(register_id=None).exists()
        other_run.rollback()  # the other run ends

    call_command("import_procapita", *paths, verbosity=0)

    assert ImportRun.objects.order_by("-pk").first().status == ImportRun.Status.SUCCEEDED
    assert User.objects.exclude(register_id=None).count() == 9

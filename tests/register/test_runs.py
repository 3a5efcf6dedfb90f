"""Runs recorded, kept from overlapping, and reported in the active language."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.models import Organiser, User
from accounts.register import procapita
from accounts.register.models import ImportLock, ImportRun
from accounts.register.runs import LOCK_NAME, run_import

from ..helpers import second_connection
from . import csvfiles


@pytest.mark.django_db(transaction=True)
def test_a_run_while_another_is_applying_is_refused_and_changes_nothing(tmp_path):
    Organiser.objects.create(name="Exempels kommun")
    paths = csvfiles.write(tmp_path)
    lock = ImportLock.objects.create(name=LOCK_NAME)
    with second_connection() as other_run:
        other_run.execute("SELECT * FROM register_importlock WHERE id = %s FOR UPDATE", [lock.pk])

        with pytest.raises(CommandError, match="en annan import från elevregistret pågår"):
            call_command("import_procapita", *paths, verbosity=0)

        refused = ImportRun.objects.get()
        assert refused.status == ImportRun.Status.FAILED
        assert "en annan import från elevregistret pågår" in refused.error
        assert not User.objects.exclude(register_id=None).exists()
        other_run.rollback()  # the other run ends

    call_command("import_procapita", *paths, verbosity=0)

    assert ImportRun.objects.order_by("-pk").first().status == ImportRun.Status.SUCCEEDED
    assert User.objects.exclude(register_id=None).count() == 9


TABLES = {"elever": csvfiles.PUPILS, "vh": csvfiles.GUARDIANS, "grupper": csvfiles.GROUPS, "personal": csvfiles.STAFF}


def _import(paths):
    return run_import(lambda: procapita.read_files(paths), source=ImportRun.Source.PROCAPITA)


def _renamed_pupil(folder):
    pupils = [["E1", *row[1:3], "Nyberg", *row[4:]] if row[0] == "E1" else row for row in csvfiles.PUPILS]
    return csvfiles.write(folder, tables={**TABLES, "elever": pupils})


@pytest.mark.django_db
def test_a_runs_report_is_in_swedish_by_default(tmp_path):
    Organiser.objects.create(name="Exempels kommun")
    run = _import(csvfiles.write(tmp_path / "1", tables=TABLES))
    assert "vh.csv, rad 5: ElevID E99 finns inte i elevfilen; vårdnadshavarskapet hoppades över" in run.warnings
    assert "+ grupp 7A (Ekbackens skola)" in run.result.changes
    renamed = _import(_renamed_pupil(tmp_path / "2"))
    assert renamed.result.changes == ["~ person Pia Nyberg (E1): efternamn"]
    failed = _import(csvfiles.write(tmp_path / "3", tables={**TABLES, "vh": [row[:-1] for row in csvfiles.GUARDIANS]}))
    assert failed.error == "vh.csv (vårdnadshavare): kolumnen Vårdnad saknas"


@pytest.mark.django_db
def test_a_runs_report_is_in_english_when_english_is_active(tmp_path):
    Organiser.objects.create(name="Exempels kommun")
    with translation.override("en"):
        run = _import(csvfiles.write(tmp_path / "1", tables=TABLES))
        renamed = _import(_renamed_pupil(tmp_path / "2"))
        failed = _import(
            csvfiles.write(tmp_path / "3", tables={**TABLES, "vh": [row[:-1] for row in csvfiles.GUARDIANS]})
        )
    assert "vh.csv, line 5: ElevID E99 is not in the pupils file; guardianship skipped" in run.warnings
    assert "+ group 7A (Ekbackens skola)" in run.result.changes
    assert renamed.result.changes == ["~ person Pia Nyberg (E1): last name"]
    assert failed.error == "vh.csv (guardians): missing column Vårdnad"
    # Stored as text: read back with Swedish active, the run still says what it said.
    assert "vh.csv, line 5: ElevID E99 is not in the pupils file; guardianship skipped" in (
        ImportRun.objects.get(pk=run.pk).warnings
    )
    assert ImportRun.objects.get(pk=failed.pk).error == "vh.csv (guardians): missing column Vårdnad"

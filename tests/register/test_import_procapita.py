import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from accounts.models import Enrolment, Guardianship, Organiser, PupilGroup, School, SchoolRole, StaffAssignment, User
from accounts.register.models import ImportRun

from . import csvfiles
from .world import personnummer

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(db):
    return Organiser.objects.create(name="Exempels kommun")


def run_import(paths, **options):
    call_command("import_procapita", *paths, verbosity=0, **options)
    return ImportRun.objects.order_by("-pk").first()


@pytest.mark.parametrize(
    "separator,encoding",
    [(";", "utf-8"), (",", "utf-8"), (";", "utf-8-sig"), (";", "cp1252"), (",", "cp1252")],
)
def test_it_reads_both_encodings_and_separators(organiser, tmp_path, separator, encoding):
    run = run_import(csvfiles.write(tmp_path, separator, encoding))
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    asa = User.objects.get(register_id="E3")
    assert (asa.first_name, asa.last_name, asa.username) == ("Åsa", "Öberg", "asa.oberg")
    assert asa.protected_identity
    assert asa.personnummer is None
    gustav = User.objects.get(register_id="V1")
    assert gustav.last_name == "Vårdnadshavare"
    assert set(Guardianship.objects.filter(guardian=gustav).values_list("pupil__register_id", flat=True)) == {
        "E1",
        "E3",
    }
    school = School.objects.get()
    assert (school.name, school.school_unit_code, school.school_forms, school.organiser) == (
        "Ekbackens skola",
        "12345678",
        ["FH", "GR"],
        organiser,
    )
    assert PupilGroup.objects.get(external_id="GFH").kind == "leisure"
    assert Enrolment.objects.filter(group__external_id="G7A").count() == 2
    assert StaffAssignment.objects.get(staff__register_id="P2").role == "mentor"
    assert SchoolRole.objects.get(user__register_id="P3").role == "rektor"


def test_row_problems_are_reported_with_file_and_line(organiser, tmp_path):
    run = run_import(csvfiles.write(tmp_path))
    warnings = "\n".join(run.warnings)
    assert "vardnadshavare.csv, rad 5: ElevID E99 finns inte i elevfilen" in warnings
    assert "elever.csv, rad 4: tillfälligt personnummer" in warnings
    assert "vardnadshavare.csv, rad 3: vårdnadshavare V2 utan vårdnad" in warnings
    assert User.objects.filter(register_id__isnull=False).count() == 9


def test_a_missing_column_changes_nothing_and_names_it(organiser, tmp_path):
    guardians = [row[:-1] for row in csvfiles.GUARDIANS]  # no Vårdnad
    tables = {"elever": csvfiles.PUPILS, "vh": guardians, "grupper": csvfiles.GROUPS, "personal": csvfiles.STAFF}
    with pytest.raises(CommandError, match=r"vh\.csv \(vårdnadshavare\): kolumnen Vårdnad saknas"):
        run_import(csvfiles.write(tmp_path, tables=tables))
    assert not User.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_a_missing_file_changes_nothing(organiser, tmp_path):
    paths = csvfiles.write(tmp_path)
    with pytest.raises(CommandError, match="fil saknas för: personal"):
        run_import(paths[:3])
    assert not User.objects.exists()


def test_an_unreadable_file_changes_nothing(organiser, tmp_path):
    paths = csvfiles.write(tmp_path)
    with pytest.raises(CommandError, match="nope.csv: kan inte läsas"):
        run_import([*paths, str(tmp_path / "nope.csv")])
    assert not User.objects.exists()


def test_a_file_of_unknown_shape_is_named(organiser, tmp_path):
    paths = csvfiles.write(tmp_path)
    (tmp_path / "other.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="other.csv: det går inte att avgöra vilken export"):
        run_import([*paths[:3], str(tmp_path / "other.csv")])


def test_the_same_files_twice_change_nothing(organiser, tmp_path):
    paths = csvfiles.write(tmp_path)
    run_import(paths)
    entries = LogEntry.objects.count()
    run = run_import(paths)
    assert LogEntry.objects.count() == entries
    assert {key: value for key, value in run.counts.items() if key != "warnings"} == {}


def test_a_pupil_missing_from_the_next_export_is_deactivated(organiser, tmp_path):
    run_import(csvfiles.write(tmp_path / "1"))
    tables = {
        "elever": [row for row in csvfiles.PUPILS if row[0] != "E2"],
        "vardnadshavare": csvfiles.GUARDIANS,
        "grupper": [row for row in csvfiles.GROUPS if row[-1] != "E2"],
        "personal": csvfiles.STAFF,
    }
    run = run_import(csvfiles.write(tmp_path / "2", tables=tables))
    olle = User.objects.get(register_id="E2")
    assert not olle.is_active
    assert not Enrolment.objects.current().filter(pupil=olle).exists()
    assert run.counts["people.deactivated"] == 1


def test_a_school_made_by_hand_is_linked_by_its_code(organiser, tmp_path):
    school = School.objects.create(organiser=organiser, name="Ekbacken", school_unit_code="12345678")
    run_import(csvfiles.write(tmp_path))
    school.refresh_from_db()
    assert school.external_id == "skolenhetskod:12345678"
    assert school.name == "Ekbackens skola"
    assert School.objects.count() == 1


def test_an_account_made_by_hand_is_linked_by_personnummer(organiser, tmp_path):
    tove = User.objects.create(username="tove", first_name="Tove", personnummer=personnummer("19750303", "345"))
    run_import(csvfiles.write(tmp_path))
    tove.refresh_from_db()
    assert tove.register_id == "P1"
    assert tove.username == "tove"
    assert User.objects.filter(first_name="Tove").count() == 1


def test_a_dry_run_changes_nothing(organiser, tmp_path, capsys):
    call_command("import_procapita", *csvfiles.write(tmp_path), dry_run=True, verbosity=1)
    assert not User.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.DRY_RUN
    assert "+ person Pia Elev (E1)" in capsys.readouterr().out

import datetime
import io
import zipfile

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Enrolment, PupilGroup, SchoolForm, StaffAssignment
from planning import actions
from planning.models import Attachment, GradingCriterion, Plan, Rubric, RubricRow, Subject
from tests.conftest import make_user
from tests.planning.conftest import PDF, make_plan


def assert_no_drift():
    call_command("sync_permissions", "--check", stdout=io.StringIO())


def test_a_teacher_creates_a_plan_as_a_draft_with_an_audit_entry(client, cast, school, group):
    client.force_login(cast["teacher"])
    response = client.post(
        reverse("planning:plan_create"),
        {
            "title": "Argumenterande text",
            "school": school.pk,
            "groups": [group.pk],
            "start_date": "2026-11-02",
            "end_date": "2026-12-18",
            "purpose": "<p>Vi övar <strong>argumentation</strong>.</p><script>alert(1)</script>",
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("planning:plan_links", args=[plan.code])
    assert plan.state == Plan.State.DRAFT and plan.created_by == cast["teacher"]
    assert plan.purpose == "<p>Vi övar <strong>argumentation</strong>.</p>"
    assert LogEntry.objects.get_for_object(plan).get(action=LogEntry.Action.CREATE).actor == cast["teacher"]
    assert_no_drift()


def test_a_blocked_text_is_not_stored_and_the_finding_is_shown(client, cast, school, group):
    client.force_login(cast["teacher"])
    response = client.post(
        reverse("planning:plan_create"),
        {
            "title": "Läsa",
            "school": school.pk,
            "groups": [group.pk],
            "start_date": "2026-11-02",
            "end_date": "2026-12-18",
            "assessment": "<p>Pia fick betyget C förra terminen.</p>",
        },
    )
    assert response.status_code == 200
    assert not Plan.objects.exists()
    assert "<mark>" in response.content.decode()


def test_a_teacher_cannot_plan_for_another_schools_group(client, cast, school, other_group):
    client.force_login(cast["teacher"])
    response = client.post(
        reverse("planning:plan_create"),
        {
            "title": "X",
            "school": school.pk,
            "groups": [other_group.pk],
            "start_date": "2026-11-02",
            "end_date": "2026-12-18",
        },
    )
    assert response.status_code == 200 and not Plan.objects.exists()


def test_pupils_cannot_create_plans(client, cast):
    client.force_login(cast["pupil"])
    assert client.get(reverse("planning:plan_create")).status_code == 403


def test_linking_criteria_and_building_the_rubric_from_them(client, cast, school, group, curriculum):
    swedish = Subject.objects.get(code="GRGRSVE01")
    plan = make_plan(cast["teacher"], school, [group], subject=swedish)
    e_paragraphs = GradingCriterion.objects.filter(subject=swedish, year=9, level="E")
    content = swedish.central_content.filter(years="7-9")[:2]
    client.force_login(cast["teacher"])
    response = client.post(
        reverse("planning:plan_links", args=[plan.code]),
        {"central_content": [item.pk for item in content], "criteria": [item.pk for item in e_paragraphs]},
    )
    assert response.status_code == 302
    assert plan.criteria.count() == 3 and plan.central_content.count() == 2
    client.post(reverse("planning:rubric_start", args=[plan.code]), {"from": "criteria"})
    rubric = Rubric.objects.get(plan=plan)
    assert list(rubric.levels.values_list("name", flat=True)) == ["E", "C", "A"]
    rows = list(rubric.rows.order_by("position"))
    assert len(rows) == 3
    cells = {cell.level.name: cell.descriptor for cell in rows[0].cells.select_related("level")}
    assert cells["E"].startswith("Eleven tolkar texter och för enkla resonemang")
    assert "välutvecklade" in cells["A"]
    page = client.get(reverse("planning:plan_detail", args=[plan.code])).content.decode()
    assert "välutvecklade och nyanserade" in page


def rubric_post(rubric, **extra):
    data = {}
    for level in rubric.levels.all():
        data[f"level-{level.pk}"] = level.name
    for row in rubric.rows.all():
        data[f"row-{row.pk}"] = row.title
        for cell in row.cells.all():
            data[f"cell-{cell.pk}"] = cell.descriptor
    data.update(extra)
    return data


def test_the_rubric_editor_saves_texts_and_moves_rows(client, cast, plan):
    rubric = actions.start_rubric(plan)
    actions.add_row(rubric, "Andra")
    first, second = rubric.rows.order_by("position")
    client.force_login(cast["teacher"])
    url = reverse("planning:rubric_edit", args=[plan.code])
    data = rubric_post(rubric, **{f"row-{first.pk}": "Struktur", "down": str(first.pk)})
    cell = first.cells.get(level__name="C")
    data[f"cell-{cell.pk}"] = "Texten har en relativt tydlig struktur."
    assert client.post(url, data).status_code == 302
    assert list(rubric.rows.order_by("position").values_list("title", flat=True)) == ["Andra", "Struktur"]
    cell.refresh_from_db()
    assert cell.descriptor == "Texten har en relativt tydlig struktur."
    client.post(url, rubric_post(rubric, up=str(first.pk)))
    assert list(rubric.rows.order_by("position").values_list("title", flat=True)) == ["Struktur", "Andra"]
    client.post(url, rubric_post(rubric, add_row="1"))
    assert rubric.rows.count() == 3
    client.post(url, rubric_post(rubric, add_level="1"))
    assert rubric.levels.count() == 4 and all(row.cells.count() == 4 for row in rubric.rows.all())


def test_a_blocked_descriptor_saves_nothing(client, cast, plan):
    rubric = actions.start_rubric(plan)
    row = rubric.rows.get()
    client.force_login(cast["teacher"])
    data = rubric_post(rubric, **{f"row-{row.pk}": "Ny titel", "save": "1"})
    data[f"cell-{row.cells.first().pk}"] = "Eleven är lat."
    response = client.post(reverse("planning:rubric_edit", args=[plan.code]), data)
    assert response.status_code == 200 and "<mark>" in response.content.decode()
    row.refresh_from_db()
    assert row.title == ""


def test_a_rubric_is_reused_from_another_visible_plan(client, cast, plan, school, group):
    source = make_plan(cast["mentor"], school, [group], title="Källa")
    rubric = actions.start_rubric(source)
    row = rubric.rows.get()
    row.title = "Källkritik"
    row.save()
    client.force_login(cast["teacher"])
    client.post(reverse("planning:rubric_start", args=[plan.code]), {"from": "copy", "source": str(source.code)})
    assert list(Rubric.objects.get(plan=plan).rows.values_list("title", flat=True)) == ["Källkritik"]
    assert RubricRow.objects.filter(rubric=rubric).count() == 1  # the source is untouched


def test_a_rubric_cannot_be_copied_from_an_invisible_plan(client, cast, plan, other_school, other_group):
    foreign = make_plan(cast["other_teacher"], other_school, [other_group])
    actions.start_rubric(foreign)
    client.force_login(cast["teacher"])
    client.post(reverse("planning:rubric_start", args=[plan.code]), {"from": "copy", "source": str(foreign.code)})
    assert not Rubric.objects.filter(plan=plan).exists()


def test_copy_to_next_year_and_another_group(client, cast, plan, school):
    actions.set_state(plan, Plan.State.PUBLISHED, cast["teacher"])
    actions.start_rubric(plan)
    eight = PupilGroup.objects.create(school=school, name="8A", school_form=SchoolForm.COMPULSORY, school_year=2027)
    client.force_login(cast["mentor"])
    response = client.get(reverse("planning:plan_copy", args=[plan.code]))
    assert "2027-11-02" in response.content.decode()
    response = client.post(
        reverse("planning:plan_copy", args=[plan.code]),
        {
            "title": "Argumenterande text 2027",
            "groups": [eight.pk],
            "start_date": "2027-11-02",
            "end_date": "2027-12-17",
        },
    )
    copy = Plan.objects.get(title="Argumenterande text 2027")
    assert response.status_code == 302
    assert copy.created_by == cast["mentor"] and copy.state == Plan.State.DRAFT and copy.copied_from == plan
    assert list(copy.groups.all()) == [eight]
    assert copy.rubric.rows.count() == 1
    assert copy.attachments.get().file.read().startswith(b"%PDF")
    assert_no_drift()


def test_templates_are_listed_for_the_schools_staff_only(client, cast, plan):
    plan.is_template = True
    plan.save()
    client.force_login(cast["mentor"])
    assert plan.title in client.get(reverse("planning:template_list")).content.decode()
    client.force_login(cast["other_teacher"])
    assert plan.title not in client.get(reverse("planning:template_list")).content.decode()


def test_filters_find_my_plans(client, cast, school, group, curriculum):
    maths = Subject.objects.get(code="GRGRMAT01")
    make_plan(cast["teacher"], school, [group], title="Bråk", subject=maths, state=Plan.State.PUBLISHED)
    make_plan(
        cast["teacher"],
        school,
        [group],
        title="Novell",
        start_date=datetime.date(2027, 1, 10),
        end_date=datetime.date(2027, 2, 10),
    )
    client.force_login(cast["teacher"])
    url = reverse("planning:plan_list")
    page = lambda **query: client.get(url, query).content.decode()  # noqa: E731
    assert "Bråk" in page(subject=maths.pk) and "Novell" not in page(subject=maths.pk)
    assert "Novell" in page(state="draft") and "Bråk" not in page(state="draft")
    assert "Novell" in page(on="2027-01-20") and "Bråk" not in page(on="2027-01-20")
    assert "Novell" in page(q="nov") and "Bråk" not in page(q="nov")
    assert "Bråk" in page(group=group.pk)


def test_pupils_and_guardians_see_published_plans_current_first(client, cast, school, group):
    make_plan(
        cast["teacher"],
        school,
        [group],
        title="Förra året",
        state=Plan.State.PUBLISHED,
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2025, 10, 1),
    )
    make_plan(
        cast["teacher"],
        school,
        [group],
        title="Nu",
        state=Plan.State.PUBLISHED,
        start_date=datetime.date(2026, 11, 1),
        end_date=datetime.date(2026, 12, 20),
    )
    make_plan(cast["teacher"], school, [group], title="Utkast")
    client.force_login(cast["pupil"])
    page = client.get(reverse("planning:plan_list")).content.decode()
    assert page.index("Nu") < page.index("Förra året") and "Utkast" not in page
    client.force_login(cast["guardian"])
    page = client.get(reverse("planning:plan_list")).content.decode()
    assert "Planeringar för Pia Elev" in page and "Nu" in page and "Utkast" not in page
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-plans"' in home and "Nu" in home


# Attachments -----------------------------------------------------------------


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("veckoplan.pdf", PDF, "application/pdf"),
        ("bild.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image/png"),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 20, "image/jpeg"),
        (
            "instruktion.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_files_are_stored_privately(client, cast, plan, private_media, name, content, content_type):
    client.force_login(cast["teacher"])
    client.post(reverse("planning:attachment_upload", args=[plan.code]), {"file": SimpleUploadedFile(name, content)})
    attachment = plan.attachments.get(name=name)
    assert attachment.content_type == content_type and attachment.size == len(content)
    assert str(private_media) in attachment.file.path and name not in attachment.file.name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00 this is an exe", "kan inte bifogas"),
        ("sida.png", b"<html><script>alert(1)</script></html>", "kan inte bifogas"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "kan inte bifogas"),
        ("tom.pdf", b"", "Filen är tom"),
        ("stor.pdf", PDF + b"\0" * 2048, "Filen är för stor"),
    ],
)
def test_refused_files_get_a_clear_message_and_nothing_is_stored(
    client, cast, plan, settings, private_media, name, content, message
):
    settings.PLANNING_MAX_ATTACHMENT_SIZE = 1024
    before = sorted(p.name for p in private_media.rglob("*") if p.is_file())
    client.force_login(cast["teacher"])
    response = client.post(
        reverse("planning:attachment_upload", args=[plan.code]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert message in response.content.decode()
    assert not plan.attachments.filter(name=name).exists()
    assert sorted(p.name for p in private_media.rglob("*") if p.is_file()) == before


def test_a_file_name_with_a_personnummer_is_refused(client, cast, plan):
    client.force_login(cast["teacher"])
    client.post(
        reverse("planning:attachment_upload", args=[plan.code]),
        {"file": SimpleUploadedFile("20130415-2380.pdf", PDF)},
    )
    assert not Attachment.objects.filter(name__contains="2013").exists()


def test_only_authors_upload_and_remove(client, cast, plan):
    attachment = plan.attachments.get()
    client.force_login(cast["mentor"])
    upload = reverse("planning:attachment_upload", args=[plan.code])
    assert client.post(upload, {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    delete = reverse("planning:attachment_delete", args=[plan.code, attachment.code])
    assert client.post(delete).status_code == 403
    client.force_login(cast["teacher"])
    assert client.get(delete).status_code == 405
    assert client.post(delete).status_code == 302
    assert not plan.attachments.exists()


# Query counts ----------------------------------------------------------------


def grow(cast, school, n):
    """n more plans, groups and rubric rows."""
    for index in range(n):
        group = PupilGroup.objects.create(
            school=school, name=f"G{index}", school_form=SchoolForm.COMPULSORY, school_year=2026
        )
        StaffAssignment.objects.create(staff=cast["teacher"], group=group)
        Enrolment.objects.create(pupil=cast["pupil"], group=group)
        plan = make_plan(cast["teacher"], school, [group], title=f"Plan {index}", state=Plan.State.PUBLISHED)
        plan.groups.add(*PupilGroup.objects.filter(school=school))


def count_queries(client, url):
    """Queries for one GET, after a first GET has warmed the session and caches."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("role", ["teacher", "pupil", "guardian"])
def test_the_plan_list_needs_the_same_number_of_queries_as_plans_grow(
    client, cast, school, role, django_assert_num_queries
):
    grow(cast, school, 1)
    client.force_login(cast[role])
    url = reverse("planning:plan_list")
    small = count_queries(client, url)
    grow(cast, school, 6)
    assert Plan.objects.count() == 7
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_the_plan_page_needs_the_same_number_of_queries_as_the_rubric_grows(
    client, cast, plan, curriculum, django_assert_num_queries
):
    rubric = actions.start_rubric(plan)
    plan.criteria.set(GradingCriterion.objects.filter(year=9)[:2])
    client.force_login(cast["pupil"])
    actions.set_state(plan, Plan.State.PUBLISHED, cast["teacher"])
    url = reverse("planning:plan_detail", args=[plan.code])
    small = count_queries(client, url)
    for _ in range(8):
        actions.add_row(rubric, "Aspekt")
    actions.add_level(rubric, "Extra")
    plan.criteria.set(GradingCriterion.objects.filter(year=9))
    plan.groups.add(
        *[
            PupilGroup.objects.create(
                school=plan.school, name=f"X{i}", school_form=SchoolForm.COMPULSORY, school_year=2026
            )
            for i in range(3)
        ]
    )
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_news_reach_the_groups_pupils_and_guardians_from_their_publish_date(client, cast, school, group):
    client.force_login(cast["teacher"])
    response = client.post(
        reverse("planning:announcement_create"),
        {
            "school": school.pk,
            "groups": [group.pk],
            "title": "Studiebesök",
            "body": "<p>Vi åker till museet.</p>",
            "publish_at": "2026-11-01T08:00",
        },
    )
    assert response.status_code == 302
    assert_no_drift()
    client.force_login(cast["guardian"])
    assert "Studiebesök" in client.get(reverse("home")).content.decode()
    client.force_login(cast["other_guardian"])
    assert "Studiebesök" not in client.get(reverse("home")).content.decode()
    client.force_login(cast["teacher"])
    client.post(
        reverse("planning:announcement_create"),
        {
            "school": school.pk,
            "groups": [group.pk],
            "title": "Kommande",
            "body": "<p>Senare.</p>",
            "publish_at": "2030-01-01T08:00",
        },
    )
    client.force_login(cast["pupil"])
    assert "Kommande" not in client.get(reverse("home")).content.decode()
    assert "Kommande" not in client.get(reverse("planning:announcement_list")).content.decode()


def test_only_the_rektor_informs_the_whole_school_and_new_groups_are_reached(client, cast, school):
    client.force_login(cast["teacher"])
    data = {"school": school.pk, "title": "Skolstart", "body": "<p>Välkomna.</p>", "publish_at": "2026-11-01T08:00"}
    assert client.post(reverse("planning:announcement_create"), data).status_code == 200
    client.force_login(cast["rektor"])
    assert client.post(reverse("planning:announcement_create"), data).status_code == 302
    late = PupilGroup.objects.create(school=school, name="1B", school_form=SchoolForm.COMPULSORY, school_year=2026)
    newcomer = make_user("nina", "Nina", "Ny")
    Enrolment.objects.create(pupil=newcomer, group=late)
    assert_no_drift()
    client.force_login(newcomer)
    assert "Skolstart" in client.get(reverse("home")).content.decode()

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from planning import actions
from planning.models import Attachment, Plan
from planning.permissions import sync_plan_grants

BUNDLED = Path(__file__).resolve().parents[2] / "planning" / "data" / "curriculum-demo.json"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def curriculum(db):
    call_command("load_curriculum", str(BUNDLED), verbosity=0)


def make_plan(author, school, groups, state=Plan.State.DRAFT, **fields):
    plan = Plan.objects.create(
        school=school,
        title=fields.pop("title", "Argumenterande text"),
        start_date=fields.pop("start_date", datetime.date(2026, 11, 2)),
        end_date=fields.pop("end_date", datetime.date(2026, 12, 18)),
        created_by=author,
        **fields,
    )
    plan.groups.set(groups)
    sync_plan_grants(plan)
    if state != Plan.State.DRAFT:
        actions.set_state(plan, state, author)
    return plan


def attach(plan, author, content=PDF, name="uppgift.pdf"):
    attachment = Attachment(plan=plan, name=name, content_type="application/pdf", size=len(content), uploaded_by=author)
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def plan(cast, group, school):
    plan = make_plan(cast["teacher"], school, [group])
    attach(plan, cast["teacher"])
    return plan

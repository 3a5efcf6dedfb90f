"""What teachers do to plans, as plain functions: each runs in one transaction,
leaves an audit trail (django-auditlog on every model) and re-derives who may
see the plan before it returns, so nobody sees a half-made change."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import Attachment, GradingCriterion, Plan, Rubric, RubricCell, RubricLevel, RubricRow
from .permissions import sync_announcement_grants, sync_plan_grants

DEFAULT_LEVELS = ["E", "C", "A"]


@transaction.atomic
def save_plan(form, user) -> Plan:
    """Save a plan form (new or edited) and re-derive its grants."""
    plan = form.save(commit=False)
    if plan.pk is None:
        plan.created_by = user
    plan.save()
    form.save_m2m()
    sync_plan_grants(plan)
    return plan


@transaction.atomic
def set_state(plan: Plan, state: str, user) -> Plan:
    """Publish, unpublish (back to draft) or archive. Pupils and guardians gain or lose access at once."""
    plan.state = state
    if state == Plan.State.PUBLISHED:
        plan.published_at = timezone.now()
    plan.save(update_fields=["state", "published_at", "updated_at"])
    sync_plan_grants(plan)
    return plan


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def copy_plan(plan: Plan, user, *, title, groups, start_date, end_date) -> Plan:
    """A new draft by ``user`` with the plan's texts, curriculum links, rubric and attachments."""
    copy = Plan.objects.create(
        school=plan.school,
        title=title,
        subject=plan.subject,
        course=plan.course,
        start_date=start_date,
        end_date=end_date,
        purpose=plan.purpose,
        content=plan.content,
        working_methods=plan.working_methods,
        assessment=plan.assessment,
        created_by=user,
        copied_from=plan,
    )
    copy.groups.set(groups)
    copy.central_content.set(plan.central_content.all())
    copy.criteria.set(plan.criteria.all())
    copy.goals.set(plan.goals.all())
    if hasattr(plan, "rubric"):
        copy_rubric(plan.rubric, copy)
    for attachment in plan.attachments.all():
        duplicate = Attachment(
            plan=copy,
            name=attachment.name,
            content_type=attachment.content_type,
            size=attachment.size,
            uploaded_by=user,
        )
        with attachment.file.open("rb") as source:
            duplicate.file.save(attachment.name, source, save=False)
        duplicate.save()
    sync_plan_grants(copy)
    return copy


def next_year_dates(plan: Plan):
    return _shift_year(plan.start_date, 1), _shift_year(plan.end_date, 1)


# Rubrics ---------------------------------------------------------------------


def _new_rubric(plan: Plan, level_names) -> Rubric:
    if hasattr(plan, "rubric"):
        plan.rubric.delete()
        del plan.rubric
    rubric = Rubric.objects.create(plan=plan)
    for position, name in enumerate(level_names):
        RubricLevel.objects.create(rubric=rubric, name=name, position=position)
    return rubric


@transaction.atomic
def start_rubric(plan: Plan) -> Rubric:
    """An empty rubric with the levels E, C and A and one empty aspect."""
    rubric = _new_rubric(plan, DEFAULT_LEVELS)
    add_row(rubric, "")
    return rubric


@transaction.atomic
def rubric_from_criteria(plan: Plan) -> Rubric:
    """One aspect per linked criteria paragraph; its E, C and A wording fills the cells.

    A requirement for acceptable knowledge (years 3 and 6, no level) fills the
    first column; the teacher writes the others.
    """
    rubric = _new_rubric(plan, DEFAULT_LEVELS)
    levels = {level.name: level for level in rubric.levels.all()}
    first = rubric.levels.first()
    linked = list(plan.criteria.all())
    keys = sorted({criterion.aspect_key() for criterion in linked}, key=lambda key: [str(part) for part in key])
    siblings = {}
    for criterion in GradingCriterion.objects.filter(
        subject_id__in={key[0] for key in keys}, position__in={key[4] for key in keys}
    ):
        siblings.setdefault(criterion.aspect_key(), []).append(criterion)
    for position, key in enumerate(keys):
        paragraphs = siblings.get(key, [])
        anchor = next((c for c in paragraphs if c.level in ("E", "")), paragraphs[0])
        year = f"{anchor.year}: " if anchor.year else ""
        title = anchor.aspect or f"{year}{anchor.text[:120]}"
        row = RubricRow.objects.create(rubric=rubric, title=title, position=position, criterion=anchor)
        texts = {criterion.level: criterion.text for criterion in paragraphs}
        for name, level in levels.items():
            descriptor = texts.get(name, "")
            if level == first and not descriptor:
                descriptor = texts.get("", "")
            RubricCell.objects.create(row=row, level=level, descriptor=descriptor)
    return rubric


@transaction.atomic
def copy_rubric(source: Rubric, plan: Plan) -> Rubric:
    rubric = _new_rubric(plan, list(source.levels.values_list("name", flat=True)))
    levels = {level.position: level for level in rubric.levels.all()}
    for row in source.rows.prefetch_related("cells__level"):
        new_row = RubricRow.objects.create(
            rubric=rubric, title=row.title, position=row.position, criterion=row.criterion
        )
        for cell in row.cells.all():
            RubricCell.objects.create(row=new_row, level=levels[cell.level.position], descriptor=cell.descriptor)
    return rubric


def add_row(rubric: Rubric, title="") -> RubricRow:
    position = (rubric.rows.aggregate(last=Max("position"))["last"] or 0) + 1
    row = RubricRow(rubric=rubric, title=title, position=position)
    row.save()
    for level in rubric.levels.all():
        RubricCell.objects.create(row=row, level=level)
    return row


def add_level(rubric: Rubric, name: str) -> RubricLevel:
    position = (rubric.levels.aggregate(last=Max("position"))["last"] or 0) + 1
    level = RubricLevel.objects.create(rubric=rubric, name=name, position=position)
    for row in rubric.rows.all():
        RubricCell.objects.create(row=row, level=level)
    return level


def move_row(rubric: Rubric, row_id: int, step: int) -> None:
    """Swap the row with its neighbour above (step -1) or below (+1); renumbers 0..n."""
    rows = list(rubric.rows.order_by("position", "id"))
    index = next((i for i, row in enumerate(rows) if row.pk == row_id), None)
    if index is None or not 0 <= index + step < len(rows):
        return
    rows[index], rows[index + step] = rows[index + step], rows[index]
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


@transaction.atomic
def save_announcement(form, user):
    item = form.save(commit=False)
    if item.pk is None:
        item.created_by = user
    item.save()
    form.save_m2m()
    sync_announcement_grants(item)
    return item

"""Which audience may see which plan and which piece of general information.

A plan is seen by the staff of its school in every state (its authors among
them); once published also by the teachers, pupils and guardians of its groups.
Unpublishing or archiving takes that away in the same transaction
(``sync_plan_grants``). General information is seen by the school's staff and,
from its publish date, by the pupils and guardians of its groups (of every
group of the school when it names none); the date is applied when listing.

The providers are registered with ``accounts.audiences`` so ``sync_permissions``
checks and repairs these grants with everything else.
"""

from collections import defaultdict

from django.db import transaction

from accounts import audiences
from accounts.audiences import Grant, GrantProvider, Scope
from accounts.models import PupilGroup

from .models import Announcement, AnnouncementGroupObjectPermission, Plan, PlanGroupObjectPermission

VIEW_PLAN = "planning.view_plan"
VIEW_ANNOUNCEMENT = "planning.view_announcement"


def _plans_in(scope: Scope):
    plans = Plan.objects.all()
    if scope.groups is None or scope.schools is None:
        return plans
    # Every plan whose grants name an audience in scope: by its groups or its school.
    return plans.filter(
        id__in=set(Plan.objects.filter(groups__in=scope.groups).values_list("id", flat=True))
        | set(Plan.objects.filter(school__in=scope.schools).values_list("id", flat=True))
    )


def plan_grants(plans) -> set[Grant]:
    """The grants ``plans`` (a queryset) should carry."""
    rows = list(plans.values_list("id", "school_id", "state"))
    groups_of = defaultdict(set)
    for plan_id, group_id in Plan.groups.through.objects.filter(plan_id__in=[row[0] for row in rows]).values_list(
        "plan_id", "pupilgroup_id"
    ):
        groups_of[plan_id].add(group_id)
    grants = set()
    for plan_id, school_id, state in rows:
        grants.add(Grant(audiences.school_staff(school_id), VIEW_PLAN, Plan, plan_id))
        if state == Plan.State.PUBLISHED:
            for group_id in groups_of[plan_id]:
                for name in (
                    audiences.group_teachers(group_id),
                    audiences.group_pupils(group_id),
                    audiences.group_guardians(group_id),
                ):
                    grants.add(Grant(name, VIEW_PLAN, Plan, plan_id))
    return grants


def _announcements_in(scope: Scope):
    items = Announcement.objects.all()
    if scope.groups is None or scope.schools is None:
        return items
    schools = set(scope.schools)
    # A school-wide item reaches every group of the school: a new group changes it.
    if scope.groups:
        schools |= set(PupilGroup.objects.filter(id__in=scope.groups).values_list("school_id", flat=True).distinct())
    return items.filter(
        id__in=set(Announcement.objects.filter(groups__in=scope.groups).values_list("id", flat=True))
        | set(Announcement.objects.filter(school__in=schools).values_list("id", flat=True))
    )


def announcement_grants(items) -> set[Grant]:
    rows = list(items.values_list("id", "school_id"))
    named = defaultdict(set)
    for item_id, group_id in Announcement.groups.through.objects.filter(
        announcement_id__in=[row[0] for row in rows]
    ).values_list("announcement_id", "pupilgroup_id"):
        named[item_id].add(group_id)
    school_ids = {school_id for item_id, school_id in rows if not named[item_id]}
    groups_of_school = defaultdict(set)
    for group_id, school_id in PupilGroup.objects.filter(school_id__in=school_ids).values_list("id", "school_id"):
        groups_of_school[school_id].add(group_id)
    grants = set()
    for item_id, school_id in rows:
        grants.add(Grant(audiences.school_staff(school_id), VIEW_ANNOUNCEMENT, Announcement, item_id))
        for group_id in named[item_id] or groups_of_school[school_id]:
            for name in (audiences.group_pupils(group_id), audiences.group_guardians(group_id)):
                grants.add(Grant(name, VIEW_ANNOUNCEMENT, Announcement, item_id))
    return grants


def _apply(model, perm_model, codename_perm, object_ids, wanted: set[Grant]):
    """Make the stored grants of ``codename_perm`` on ``object_ids`` equal ``wanted``."""
    app_label, codename = codename_perm.split(".", 1)
    stored_rows = perm_model.objects.filter(
        content_object_id__in=object_ids, permission__codename=codename, permission__content_type__app_label=app_label
    ).values_list("id", "group__name", "content_object_id")
    stored = {Grant(name, codename_perm, model, object_id): row_id for row_id, name, object_id in stored_rows}
    extra = [row_id for grant, row_id in stored.items() if grant not in wanted]
    if extra:
        perm_model.objects.filter(id__in=extra).delete()
    missing = wanted - set(stored)
    if missing:
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType

        permission = Permission.objects.get(content_type=ContentType.objects.get_for_model(model), codename=codename)
        perm_model.objects.bulk_create(
            [
                perm_model(
                    group=audiences.audience(grant.audience), permission=permission, content_object_id=grant.object_id
                )
                for grant in missing
            ],
            ignore_conflicts=True,
        )


@transaction.atomic
def sync_plan_grants(*plans: Plan) -> None:
    """Re-derive the grants of these plans now: call after every change of state or groups.

    Derived rows carry no personal data and are not audited; the plan change is.
    """
    ids = [plan.pk for plan in plans]
    _apply(Plan, PlanGroupObjectPermission, VIEW_PLAN, ids, plan_grants(Plan.objects.filter(id__in=ids)))


@transaction.atomic
def sync_announcement_grants(*items: Announcement) -> None:
    ids = [item.pk for item in items]
    _apply(
        Announcement,
        AnnouncementGroupObjectPermission,
        VIEW_ANNOUNCEMENT,
        ids,
        announcement_grants(Announcement.objects.filter(id__in=ids)),
    )


_registered = []


def register():
    """Called once from ``PlanningConfig.ready``."""
    if _registered:
        return
    _registered.append(True)
    audiences.register_grants(
        GrantProvider(
            Plan,
            lambda scope: plan_grants(_plans_in(scope)),
            lambda scope: _plans_in(scope).values_list("id", flat=True),
            [VIEW_PLAN],
        )
    )
    audiences.register_grants(
        GrantProvider(
            Announcement,
            lambda scope: announcement_grants(_announcements_in(scope)),
            lambda scope: _announcements_in(scope).values_list("id", flat=True),
            [VIEW_ANNOUNCEMENT],
        )
    )

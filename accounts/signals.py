"""Keep audiences in step with memberships in the same transaction, and audit
every model that holds personal data."""

from auditlog.registry import auditlog
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from . import audiences
from .audiences import Scope
from .models import Enrolment, Guardianship, Organiser, PupilGroup, School, SchoolRole, StaffAssignment, User

auditlog.register(User, exclude_fields=["password", "last_login"])
for model in (Organiser, School, PupilGroup, Enrolment, StaffAssignment, Guardianship, SchoolRole):
    auditlog.register(model)


def _pupils_in(group_ids):
    return set(Enrolment.objects.filter(group_id__in=group_ids).values_list("pupil_id", flat=True))


def _groups_of(pupil_ids):
    return set(Enrolment.objects.filter(pupil_id__in=pupil_ids).values_list("group_id", flat=True))


def scope_of(instance) -> Scope:
    """The audiences a membership row feeds."""
    if isinstance(instance, Enrolment):
        return Scope({instance.group_id}, {instance.pupil_id}, set())
    if isinstance(instance, StaffAssignment):
        school_id = PupilGroup.objects.filter(pk=instance.group_id).values_list("school_id", flat=True).first()
        return Scope({instance.group_id}, _pupils_in({instance.group_id}), {school_id} - {None})
    if isinstance(instance, Guardianship):
        return Scope(_groups_of({instance.pupil_id}), {instance.pupil_id}, set())
    if isinstance(instance, SchoolRole):
        group_ids = set(PupilGroup.objects.filter(school_id=instance.school_id).values_list("id", flat=True))
        return Scope(group_ids, _pupils_in(group_ids), {instance.school_id})
    if isinstance(instance, PupilGroup):
        # With its pupils: their staff audiences include the group's school's leaders.
        return Scope({instance.pk}, _pupils_in({instance.pk}), {instance.school_id})
    if isinstance(instance, School):
        return Scope(set(), set(), {instance.pk})
    raise TypeError(instance)


MEMBERSHIP_MODELS = (Enrolment, StaffAssignment, Guardianship, SchoolRole, PupilGroup, School)


def remember_previous_scope(sender, instance, raw=False, **kwargs):
    # A membership moved to another group or pupil must also update the old one.
    if raw or instance.pk is None:
        return
    previous = sender.objects.filter(pk=instance.pk).first()
    instance._previous_scope = scope_of(previous) if previous else Scope.empty()


def remember_scope_before_delete(sender, instance, **kwargs):
    # A cascade (deleting a group or a person) deletes every row before it sends
    # any post_delete; by then the enrolments a scope is computed from are gone.
    instance._previous_scope = scope_of(instance)


def follow_membership(sender, instance, raw=False, **kwargs):
    if raw:
        return
    scope = scope_of(instance) | getattr(instance, "_previous_scope", Scope.empty())
    audiences.follow(scope)


# Connected per model: a receiver without a sender would run on every save in
# the project and turn off Django's fast delete path for all models.
for model in MEMBERSHIP_MODELS:
    pre_save.connect(remember_previous_scope, sender=model)
    pre_delete.connect(remember_scope_before_delete, sender=model)
    post_save.connect(follow_membership, sender=model)
    post_delete.connect(follow_membership, sender=model)


def mark_deleting(sender, instance, **kwargs):
    audiences.mark_deleting(instance)


def unmark_deleting(sender, instance, **kwargs):
    audiences.unmark_deleting(instance)


# Objects whose deletion cascades to memberships: the memberships' signals must
# not re-grant on the object while it is on its way out.
for model in (User, PupilGroup, School):
    pre_delete.connect(mark_deleting, sender=model)
    post_delete.connect(unmark_deleting, sender=model)


@receiver(pre_save, sender=User)
def remember_access_flags(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._previous_is_active = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()


@receiver(post_save, sender=User)
def follow_activation(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    if getattr(instance, "_previous_is_active", instance.is_active) != instance.is_active:
        audiences.follow(audiences.scope_for_user(instance))

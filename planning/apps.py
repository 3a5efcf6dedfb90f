from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planning")

    def ready(self):
        from auditlog.registry import auditlog

        from accounts import home_sections

        from . import home, models, permissions

        for model in (
            models.Curriculum,
            models.Subject,
            models.Course,
            models.CentralContent,
            models.GradingCriterion,
            models.Goal,
            models.Plan,
            models.Rubric,
            models.RubricLevel,
            models.RubricRow,
            models.RubricCell,
            models.Attachment,
            models.Announcement,
        ):
            if not auditlog.contains(model):
                auditlog.register(model, m2m_fields=_m2m_fields(model))
        permissions.register()
        home_sections.register(home.planning_section)


def _m2m_fields(model):
    # Who a plan or a piece of news reaches is part of what is audited.
    return {field.name for field in model._meta.many_to_many}

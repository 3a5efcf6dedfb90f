from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from auditlog.registry import auditlog

        from accounts import home_sections

        from . import home, models, permissions

        for model in (
            models.AssessmentScale,
            models.ScaleStep,
            models.LearningLogEntry,
            models.Reflection,
            models.RubricAssessment,
            models.RubricMark,
            models.SummativeAssessment,
        ):
            if not auditlog.contains(model):
                auditlog.register(model)
        permissions.register()
        home_sections.register(home.home_section)
        home_sections.register_pupil_section(home.pupil_section)

from django.contrib import admin

from .models import AssessmentScale, ScaleStep


class ScaleStepInline(admin.TabularInline):
    model = ScaleStep
    extra = 0
    ordering = ["position"]


@admin.register(AssessmentScale)
class AssessmentScaleAdmin(admin.ModelAdmin):
    """Each organiser's scale for summative assessments; the default three steps are created on first use."""

    list_display = ["__str__", "organiser"]
    inlines = [ScaleStepInline]

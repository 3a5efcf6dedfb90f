from django.contrib import admin

from .models import AccessEntry


@admin.register(AccessEntry)
class AccessEntryAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "actor", "subject", "object_repr"]
    list_select_related = ["actor", "subject"]
    date_hierarchy = "timestamp"
    search_fields = ["object_repr"]

    # The log is evidence: read-only for everyone, superusers included.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from .models import ContentTerm


@admin.register(ContentTerm)
class ContentTermAdmin(admin.ModelAdmin):
    list_display = ["term", "category", "action", "created"]
    list_filter = ["category", "action"]
    search_fields = ["term", "note"]
    readonly_fields = ["created"]

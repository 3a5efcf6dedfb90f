"""Re-check every stored checked text against today's rules; change nothing.

The word lists and the admin's terms change over time, and ``QuerySet.update()``
or raw SQL can bypass the field checks. This command walks every model field
that is a ``CheckedTextField`` (or ``CheckedHTMLField``), checks each stored
value, and reports what now fails, grouped by author (the model's ``author`` or
``created_by`` field, else "unknown"), so the texts can be corrected by the
people who wrote them. Read-only.
"""

from collections import defaultdict

from django.apps import apps
from django.core.management.base import BaseCommand

from unikum.content.checker import check
from unikum.content.fields import CheckedTextField

AUTHOR_FIELDS = ("author", "created_by")


def checked_fields():
    """(model, [field, ...]) for every model with checked text fields."""
    for model in apps.get_models():
        fields = [field for field in model._meta.concrete_fields if isinstance(field, CheckedTextField)]
        if fields:
            yield model, fields


def author_field(model):
    names = {field.name for field in model._meta.concrete_fields}
    return next((name for name in AUTHOR_FIELDS if name in names), None)


class Command(BaseCommand):
    help = "Report stored texts that the content checker now blocks, per author. Changes nothing."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        by_author = defaultdict(list)
        scanned = 0
        for model, fields in checked_fields():
            author = author_field(model)
            queryset = model._base_manager.order_by("pk")
            if author:
                queryset = queryset.select_related(author)
            for obj in queryset.iterator(chunk_size=500):
                for field in fields:
                    value = field.value_from_object(obj)
                    if not value:
                        continue
                    scanned += 1
                    findings = check(value, is_html=None if field.is_html else False)
                    if findings:
                        who = str(getattr(obj, author)) if author and getattr(obj, author, None) else "unknown"
                        by_author[who].append((model._meta.label, obj.pk, field.name, findings))
        if verbosity:
            self.stdout.write(f"Checked {scanned} stored text(s).")
        for who in sorted(by_author):
            self.stdout.write(self.style.WARNING(f"{who}:"))
            for label, pk, field_name, findings in by_author[who]:
                summary = ", ".join(f"{finding.category} ”{finding.match}”" for finding in findings)
                self.stdout.write(f"  {label} #{pk} {field_name}: {summary}")
        failing = sum(len(rows) for rows in by_author.values())
        if verbosity:
            style = self.style.WARNING if failing else self.style.SUCCESS
            self.stdout.write(style(f"{failing} text(s) now fail the content check."))

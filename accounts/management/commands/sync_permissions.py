"""Recompute every audience and grant from today's memberships.

Why it exists: a membership save or delete takes effect at once, but a dated
membership (an enrolment that starts on the first day of term, a teacher whose
assignment ends in June) changes nothing in the database on the day it starts or
ends. Run this command nightly so those dates take effect, and after bulk work
that bypassed signals (raw SQL, ``queryset.update``) to repair the derived rows.

``--check`` changes nothing and exits non-zero if the stored audiences and
grants differ from the derivation (for monitoring and CI); ``--dry-run`` shows
what a run would change. Derived rows carry no personal data of their own and
are not audited; the memberships they derive from are.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import audiences

# How many rows of each kind of drift to list at normal verbosity.
SAMPLE = 10

LABELS = {
    "missing_members": "missing audience members",
    "extra_members": "extra audience members",
    "missing_grants": "missing grants",
    "extra_grants": "extra grants",
}


def describe(kind, item):
    if kind.endswith("members"):
        name, user_id = item
        return f"user {user_id} in {name}"
    return f"{item.audience}: {item.permission} on {item.model._meta.label} {item.object_id}"


class Command(BaseCommand):
    help = "Recompute audiences and object permissions from memberships; report or repair drift."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--check", action="store_true", help="Change nothing; exit with an error if anything has drifted."
        )
        mode.add_argument("--dry-run", action="store_true", help="Show what would change without changing it.")

    def handle(self, *args, check=False, dry_run=False, verbosity=1, **options):
        self.verbosity = verbosity
        if check or dry_run:
            drift = audiences.compute_drift()
            self.report(drift)
            if check and drift:
                raise CommandError(f"Permissions have drifted from memberships: {self.totals(drift)}.")
            if self.verbosity:
                if drift:
                    self.stdout.write(f"Dry run, nothing changed. Would repair: {self.totals(drift)}.")
                else:
                    self.stdout.write("No drift: audiences and grants match the memberships.")
            return
        with transaction.atomic():
            drift = audiences.sync()
        self.report(drift)
        if self.verbosity:
            if drift:
                self.stdout.write(self.style.SUCCESS(f"Repaired: {self.totals(drift)}."))
            else:
                self.stdout.write("Nothing to change: audiences and grants match the memberships.")

    @staticmethod
    def totals(drift):
        return ", ".join(f"{count} {LABELS[kind]}" for kind, count in drift.summary().items())

    def report(self, drift):
        if not self.verbosity or not drift:
            return
        for kind, label in LABELS.items():
            items = sorted(getattr(drift, kind), key=lambda item: describe(kind, item))
            if not items:
                continue
            self.stdout.write(f"{len(items)} {label}:")
            shown = items if self.verbosity >= 2 else items[:SAMPLE]
            for item in shown:
                self.stdout.write(f"  {describe(kind, item)}")
            if len(shown) < len(items):
                self.stdout.write(f"  … and {len(items) - len(shown)} more (use -v 2 to list all)")

"""Load or update curricula, subjects, courses, central content and criteria.

Why it exists: a municipality loads the official curriculum from Skolverket's
published syllabus data (the JSON its open syllabus API answers, saved to a
file) so teachers can link plans to it. The bundled file
``planning/data/curriculum-demo.json`` is an abridged demo, marked as such.

Safety: the whole file is validated before anything is written, and written in
one transaction, so a malformed file changes nothing and every problem is named
with its place in the file. Re-loading the same file changes nothing; the
command reports what was created, updated, unchanged and removed.
``--dry-run`` reports the same without writing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from planning import loader


class Command(BaseCommand):
    help = "Load curriculum data (Skolverket syllabus API JSON) from a file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A JSON file: one subject, a list of subjects, or an Unikum curriculum file.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count, but change nothing.")

    def handle(self, path, dry_run=False, verbosity=1, **options):
        try:
            parsed = loader.read_file(path)
        except loader.CurriculumFileError as error:
            problems = "\n".join(f"  {line}" for line in error.errors)
            raise CommandError(
                f"{path} was not loaded, nothing changed. {len(error.errors)} problem(s):\n{problems}"
            ) from None
        with transaction.atomic():
            counts = loader.load(parsed)
            if dry_run:
                transaction.set_rollback(True)
        if verbosity:
            summary = ", ".join(f"{number} {label}" for label, number in counts.as_dict().items())
            subjects = ", ".join(record.code for record in parsed.subjects)
            prefix = "Dry run, nothing changed. Would load" if dry_run else "Loaded"
            self.stdout.write(f"{prefix} {len(parsed.subjects)} subject(s) from {path}: {summary}.")
            if verbosity >= 2 and subjects:
                self.stdout.write(f"Subjects: {subjects}")

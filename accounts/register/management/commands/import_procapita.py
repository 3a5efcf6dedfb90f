"""Import people, groups and roles from a ProCapita-style CSV export.

The four files (pupils, guardians, groups, staff; see accounts/register/README.md)
make one full delivery, applied in one transaction: a missing file or column,
or an unreadable file, changes nothing. Row-level problems are reported with
file and line and the rest is imported. Each run is recorded as an ImportRun.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.register import procapita
from accounts.register.models import ImportRun
from accounts.register.progress import ProgressBar, report
from accounts.register.runs import run_import

from ._common import actor_from, add_run_options


class Command(BaseCommand):
    help = "Import accounts from ProCapita CSV files (pupils, guardians, groups, staff)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="The four CSV files, in any order.")
        parser.add_argument(
            "--organiser", default="", help="Huvudman for schools the files introduce (default: the only one there is)."
        )
        add_run_options(parser)

    def handle(self, *args, **options):
        actor = actor_from(options)
        bar = ProgressBar(self.stdout, self.stdout.isatty() and options["verbosity"] >= 1)
        try:
            run = run_import(
                lambda: procapita.read_files(options["paths"], organiser=options["organiser"]),
                source=ImportRun.Source.PROCAPITA,
                source_detail=", ".join(options["paths"]),
                actor=actor,
                schedule=options["schedule"],
                dry_run=options["dry_run"],
                progress=bar,
            )
        finally:
            bar.close()
        report(self, run, options["verbosity"])
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(_("Import failed, nothing changed: %(error)s") % {"error": run.error})

"""Sync people, schools, groups and roles from an SS 12000 API (or saved responses).

Everything is fetched first and then applied in one transaction: a failed
login, a malformed page or a server that gives up part-way changes nothing. A
full sync deactivates people the register no longer has and ends memberships
it no longer lists; ``--incremental`` asks only for what changed since the last
successful run. Each run is recorded as an ImportRun, and a lock keeps two runs
from overlapping.
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.register import ss12000
from accounts.register.models import ImportRun
from accounts.register.progress import ProgressBar, report
from accounts.register.runs import last_watermark, run_import

from ._common import actor_from, add_run_options


class Command(BaseCommand):
    help = "Sync accounts from an SS 12000 API, or from a folder of saved responses (--from-dir)."

    def add_arguments(self, parser):
        env = os.environ.get
        parser.add_argument("--url", default=env("SS12000_URL"), help="API base URL (env SS12000_URL).")
        parser.add_argument(
            "--token-url", default=env("SS12000_TOKEN_URL"), help="OAuth2 token URL (env SS12000_TOKEN_URL)."
        )
        parser.add_argument("--client-id", default=env("SS12000_CLIENT_ID"), help="Env SS12000_CLIENT_ID.")
        parser.add_argument("--client-secret", default=env("SS12000_CLIENT_SECRET"), help="Env SS12000_CLIENT_SECRET.")
        parser.add_argument("--basic-auth", action="store_true", help="Send the client credentials with HTTP Basic.")
        parser.add_argument("--from-dir", metavar="PATH", help="Read saved responses from a folder instead.")
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="Only what changed since the last successful run (meta.modified.after, /deletedEntities).",
        )
        parser.add_argument("--page-size", type=int, help="Ask for this many items per page (limit).")
        parser.add_argument("--retries", type=int, default=4, help="Retries on transient HTTP errors (default 4).")
        parser.add_argument("--backoff", type=float, default=1.0, help="First retry delay in seconds, doubling.")
        add_run_options(parser)

    def handle(self, *args, **options):
        actor = actor_from(options)
        incremental = options["incremental"]
        if options["from_dir"]:
            source, detail = ImportRun.Source.SS12000_FILES, options["from_dir"]

            def read():
                return ss12000.read_directory(detail, incremental=incremental)

        else:
            missing = [name for name in ("url", "token_url", "client_id", "client_secret") if not options[name]]
            if missing:
                names = ", ".join("--" + name.replace("_", "-") for name in missing)
                raise CommandError(
                    _("Missing %(options)s (or the SS12000_* environment variables), or use --from-dir.")
                    % {"options": names}
                )
            source, detail = ImportRun.Source.SS12000_API, options["url"]
            since = None
            if incremental:
                since = last_watermark(source, detail)
                if since is None:
                    self.stdout.write(_("No earlier successful sync from this URL: running a full sync."))
                    incremental = False
            client = ss12000.Client(
                options["url"],
                options["token_url"],
                options["client_id"],
                options["client_secret"],
                basic_auth=options["basic_auth"],
                retries=options["retries"],
                backoff=options["backoff"],
                page_size=options["page_size"],
            )

            def read():
                return ss12000.read_api(client, since=since, progress=bar)

        bar = ProgressBar(self.stdout, self.stdout.isatty() and options["verbosity"] >= 1)
        try:
            run = run_import(
                read,
                source=source,
                source_detail=detail,
                actor=actor,
                schedule=options["schedule"],
                dry_run=options["dry_run"],
                incremental=incremental,
                progress=bar,
            )
        finally:
            bar.close()
        report(self, run, options["verbosity"])
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(_("Import failed, nothing changed: %(error)s") % {"error": run.error})

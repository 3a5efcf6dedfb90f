"""A one-line progress bar for management commands, shown only on a terminal."""

import time

from django.utils.translation import gettext as _


class ProgressBar:
    def __init__(self, stream, enabled):
        self.stream = stream
        self.enabled = enabled
        self.last = 0.0
        self.stage = None

    def __call__(self, stage, done, total):
        if not self.enabled:
            return
        now = time.monotonic()
        if stage == self.stage and now - self.last < 0.2 and done != total:
            return
        self.last, self.stage = now, stage
        if total:
            width = 30
            filled = int(width * done / total)
            line = f"{stage:<24} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        else:
            line = f"{stage:<24} {done}"
        self.stream.write(f"\r{line:<79}", ending="")
        self.stream.flush()

    def close(self):
        if self.enabled and self.stage is not None:
            self.stream.write("\r" + " " * 79 + "\r", ending="")
            self.stream.flush()


def report(command, run, verbosity):
    """Print what a run did (or would do): changes, warnings, counts."""
    out = command.stdout
    result = run.result
    if verbosity >= 1 and result.changes:
        limit = None if verbosity >= 2 else 50
        shown = result.changes[:limit]
        heading = _("Would change:") if run.dry_run else _("Changes:")
        out.write(heading)
        for line in shown:
            out.write(f"  {line}")
        more = len(result.changes) - len(shown) + result.omitted
        if more:
            out.write(
                _("  … and %(more)s more (-v 2 lists up to %(listed)s; the counts cover all)")
                % {"more": more, "listed": len(result.changes)}
            )
    if verbosity >= 1 and result.warnings:
        limit = None if verbosity >= 2 else 50
        shown = result.warnings[:limit]
        out.write(_("Warnings (%(count)s):") % {"count": len(result.warnings)})
        for notice in shown:
            out.write(f"  {notice}")
        if len(result.warnings) > len(shown):
            out.write(_("  … and %(more)s more (use -v 2 to list all)") % {"more": len(result.warnings) - len(shown)})
    counts = ", ".join(f"{key} {value}" for key, value in run.counts.items() if value) or _("no changes")
    if run.status == run.Status.FAILED:
        command.stderr.write(_("Import failed, nothing changed: %(error)s") % {"error": run.error})
    else:
        done = (
            _("Dry run, nothing changed (run %(run)s): %(counts)s")
            if run.dry_run
            else _("Import done (run %(run)s): %(counts)s")
        )
        out.write(command.style.SUCCESS(done % {"run": run.pk, "counts": counts}))

"""Run an import: record it, lock out overlapping runs, apply atomically or roll back."""

from collections.abc import Callable

from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audiences

from .importer import Progress, Result, apply
from .models import ImportLock, ImportRun
from .records import RegisterData, StructuralError

MAX_STORED_WARNINGS = 10_000
LOCK_NAME = "register"


class ImportLocked(StructuralError):
    pass


class _DryRun(Exception):  # noqa: N818  (control flow, not an error)
    pass


def _lock():
    """Hold the lock row until the transaction ends. On PostgreSQL a second run
    fails at once (NOWAIT); SQLite has no row locks, but the write below takes
    its database-wide write lock, so a second run waits and then fails."""
    ImportLock.objects.get_or_create(name=LOCK_NAME)
    try:
        list(ImportLock.objects.select_for_update(nowait=True).filter(name=LOCK_NAME))
    except OperationalError:
        raise ImportLocked(_("another register import is running; try again when it has finished")) from None
    ImportLock.objects.filter(name=LOCK_NAME).update(locked_at=timezone.now())


def run_import(
    read: Callable[[], RegisterData],
    *,
    source: str,
    source_detail: str = "",
    actor=None,
    schedule: str = "",
    dry_run: bool = False,
    incremental: bool = False,
    progress: Progress | None = None,
) -> ImportRun:
    """Read a delivery and apply it, all or nothing.

    ``read`` does all the fetching and parsing before anything is written, and
    raises ``StructuralError`` for input that cannot be trusted as a whole. The
    returned ``ImportRun`` is saved whatever happens; its ``result`` attribute
    holds the readable change list. Unexpected errors are recorded and re-raised.
    """
    run = ImportRun.objects.create(
        source=source,
        source_detail=source_detail[:500],
        incremental=incremental,
        dry_run=dry_run,
        started_by=actor,
        schedule="" if actor else (schedule or "manage.py")[:100],
    )
    run.result = Result()
    try:
        data = read()
        try:
            with transaction.atomic():
                _lock()
                with audiences.deferred():
                    run.result = apply(data, actor=actor, progress=progress)
                    if progress:
                        progress("permissions", 0, 1)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    except StructuralError as error:
        run.status = ImportRun.Status.FAILED
        run.error = str(error)
    except Exception as error:
        run.status = ImportRun.Status.FAILED
        run.error = f"{type(error).__name__}: {error}"
        _finish(run)
        raise
    else:
        run.status = ImportRun.Status.DRY_RUN if dry_run else ImportRun.Status.SUCCEEDED
        if not dry_run:
            run.watermark = data.watermark
    _finish(run)
    return run


def _finish(run):
    result = run.result
    run.counts = dict(sorted(result.counts.items()))
    run.counts["warnings"] = len(result.warnings)
    run.warnings = [str(notice) for notice in result.warnings[:MAX_STORED_WARNINGS]]
    run.finished_at = timezone.now()
    run.save()


def last_watermark(source: str, source_detail: str):
    """Where the last successful run from this source got to, for an incremental run."""
    run = (
        ImportRun.objects.filter(source=source, source_detail=source_detail, status=ImportRun.Status.SUCCEEDED)
        .exclude(watermark=None)
        .order_by("-started_at")
        .first()
    )
    return run.watermark if run else None

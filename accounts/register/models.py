"""A record of every register import, and the lock that keeps two from overlapping."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One run of an import: what it read, who started it, what it changed."""

    class Source(models.TextChoices):
        SS12000_API = "ss12000", _("SS 12000 API")
        SS12000_FILES = "ss12000-files", _("SS 12000 files")
        PROCAPITA = "procapita", _("ProCapita CSV")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        DRY_RUN = "dry-run", _("Dry run (nothing changed)")
        FAILED = "failed", _("Failed (nothing changed)")

    started_at = models.DateTimeField(_("started"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source)
    source_detail = models.CharField(_("read from"), max_length=500, blank=True)
    incremental = models.BooleanField(_("incremental"), default=False)
    dry_run = models.BooleanField(_("dry run"), default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    schedule = models.CharField(
        _("schedule"), max_length=100, blank=True, help_text=_("Set when no person started it.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.RUNNING)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The source's clock at the start of a successful SS 12000 run: the next
    # incremental run asks for what changed after it.
    watermark = models.DateTimeField(_("changes read up to"), null=True, blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at"]
        permissions = [
            ("run_import", _("Can upload and apply a register file")),
            ("send_activation", _("Can send activation e-mails")),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.started_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def started_by_display(self):
        return str(self.started_by) if self.started_by else self.schedule


class ImportLock(models.Model):
    """A single row that a run locks (``SELECT ... FOR UPDATE NOWAIT``) for its
    whole transaction, so a second run fails fast instead of interleaving."""

    name = models.CharField(max_length=50, unique=True)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import lock")
        verbose_name_plural = _("import locks")

    def __str__(self):
        return self.name

from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import CheckedTextField
from .patterns import PatternError


class Category(models.TextChoices):
    VALUE_JUDGEMENT = "value_judgement", _("Value judgement about a person")
    OFFENSIVE = "offensive", _("Offensive wording")
    ATTENDANCE = "attendance", _("Attendance (Skola24)")
    GRADE_SETTING = "grade_setting", _("Grade setting (ProCapita)")
    SENSITIVE = "sensitive", _("Sensitive personal data")


class ContentTerm(models.Model):
    """A local addition to the checker's word lists, entered in the admin.

    ``term`` uses the same pattern syntax as the files in ``lexicon/`` (a word, a
    phrase, ``word*`` for compounds). *Blocked* terms are always flagged;
    *allowed* terms cancel a finding they overlap (a local look-alike). Changes
    take effect without a restart (see ``checker.get_lexicon``).
    """

    class Action(models.TextChoices):
        BLOCKED = "blocked", _("Blocked")
        ALLOWED = "allowed", _("Allowed")

    term = models.CharField(_("term"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.BLOCKED)
    note = CheckedTextField(_("note"), blank=True, help_text=_("Why the term was added, for the next reviewer."))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("content term")
        verbose_name_plural = _("content terms")
        ordering = ["category", "term"]
        constraints = [
            models.UniqueConstraint(fields=["term", "category", "action"], name="content_term_unique"),
        ]

    def __str__(self):
        return f"{self.term} ({self.get_category_display()}, {self.get_action_display()})"

    def clean(self):
        super().clean()
        self.term = " ".join(self.term.split())
        try:
            self.as_rule()
        except PatternError as error:
            raise ValidationError({"term": str(error)}) from None

    def as_rule(self):
        from .lexicon import parse_term

        return parse_term(self.term, self.category, allow=self.action == self.Action.ALLOWED)


auditlog.register(ContentTerm)

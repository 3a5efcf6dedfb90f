"""Options shared by the import commands."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def add_run_options(parser):
    parser.add_argument("--dry-run", action="store_true", help="Show what would change, change nothing.")
    parser.add_argument("--as", dest="actor", metavar="USERNAME", help="The person running the import (audit log).")
    parser.add_argument(
        "--schedule", default="", help="Name of the schedule that started the run (when no person did), e.g. nightly."
    )


def actor_from(options):
    username = options.get("actor")
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(_("No user %(username)s for --as.") % {"username": repr(username)}) from None

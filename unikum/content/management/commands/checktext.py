"""Check free text from the command line, for people and for pipelines.

``checktext FILE`` (or plain text on stdin) prints the findings for a person.

``checktext --jsonl`` reads stdin, one JSON string per line (the text, plain or
HTML), and writes one JSON object per line in the same order::

    {"ok": false, "findings": [{"category": "...", "start": 0, "end": 3, "match": "...", "message": "..."}]}

A blank line counts as an empty text and gets ``{"ok": true, "findings": []}``,
so output lines stay aligned with input lines. A line that is not a JSON string
stops the run with a message on stderr naming the line, and exit status 2;
lines before it have been answered. Output is ASCII-escaped JSON, whatever the
terminal encoding. The command only reads; it changes nothing.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from unikum.content.checker import check


class Command(BaseCommand):
    help = "Check text against the content rules (a file, stdin, or JSON lines with --jsonl)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="File to check (default: stdin).")
        parser.add_argument(
            "--jsonl", action="store_true", help="Read one JSON string per line, write one JSON object per line."
        )
        parser.add_argument(
            "--language", default=None, help="Language of the messages (sv or en; default: the site language)."
        )

    def handle(self, *args, path=None, jsonl=False, language=None, **options):
        with translation.override(language or translation.get_language()):
            if jsonl:
                return self._jsonl(options["verbosity"])
            return self._human(path)

    def _jsonl(self, verbosity):
        out = sys.stdout
        for number, raw in enumerate(sys.stdin.buffer, 1):
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                text = ""
            else:
                try:
                    text = json.loads(line)
                except ValueError as error:
                    self._fail(number, f"not valid JSON ({error})")
                if not isinstance(text, str):
                    self._fail(number, f"expected a JSON string, got {type(text).__name__}")
            findings = [finding.as_dict() for finding in check(text)]
            out.write(json.dumps({"ok": not findings, "findings": findings}) + "\n")
        out.flush()

    def _fail(self, number, reason):
        sys.stdout.flush()
        sys.stderr.write(f"checktext: line {number}: {reason}\n")
        sys.exit(2)

    def _human(self, path):
        if path:
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error}") from error
        else:
            text = sys.stdin.read()
        findings = check(text)
        if not findings:
            self.stdout.write(self.style.SUCCESS("OK: nothing to remark."))
            return
        for finding in findings:
            self.stdout.write(
                self.style.ERROR(f"{finding.start}-{finding.end} {finding.category}: ”{finding.match}”")
                + f"\n    {finding.message}"
            )
        raise CommandError(f"{len(findings)} finding(s).", returncode=1)

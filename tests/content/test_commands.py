import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from unikum.content.models import Category, ContentTerm

ROOT = Path(__file__).resolve().parents[2]


def run_jsonl(lines, monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO("\n".join(lines).encode("utf-8") + b"\n"), encoding="utf-8")
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stdout", out)
    call_command("checktext", "--jsonl")
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_checktext_jsonl_answers_each_line_in_order(monkeypatch):
    lines = [json.dumps("Eleven är lat."), "", json.dumps("<p>Bra <b>analys</b>.</p>"), json.dumps("Hon har ADHD.")]
    results = run_jsonl(lines, monkeypatch)
    assert [r["ok"] for r in results] == [False, True, True, False]
    assert results[0]["findings"] == [
        {
            "category": "value_judgement",
            "start": 10,
            "end": 13,
            "match": "lat",
            "message": results[0]["findings"][0]["message"],
        }
    ]
    assert set(results[3]["findings"][0]) == {"category", "start", "end", "match", "message"}


@pytest.mark.django_db
def test_checktext_jsonl_stops_with_an_error_on_a_line_that_is_not_a_json_string(monkeypatch, capsys):
    with pytest.raises(SystemExit) as raised:
        run_jsonl([json.dumps("ok"), "{broken"], monkeypatch)
    assert raised.value.code == 2


def test_checktext_jsonl_runs_as_a_process():
    result = subprocess.run(
        [sys.executable, "manage.py", "checktext", "--jsonl"],
        input='"Slutbetyget blir A."\n"Vitamin C."\n',
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["findings"][0]["category"] == "grade_setting"
    assert second == {"ok": True, "findings": []}


@pytest.mark.django_db
def test_checktext_for_a_person_reads_a_file(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text("Han kom för sent.", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("checktext", str(path), stdout=out)
    assert "attendance" in out.getvalue()


@pytest.mark.django_db
def test_scan_content_reports_stored_texts_that_now_fail_and_changes_nothing():
    stored = ContentTerm.objects.create(term="a", category=Category.OFFENSIVE, note="Han är en fotbollsfantast.")
    ContentTerm.objects.create(term="fotbollsfantast", category=Category.VALUE_JUDGEMENT)
    out = io.StringIO()
    call_command("scan_content", stdout=out)
    report = out.getvalue()
    assert "unknown:" in report
    assert f"content.ContentTerm #{stored.pk} note: value_judgement ”fotbollsfantast”" in report
    assert "1 text(s) now fail" in report
    assert ContentTerm.objects.get(pk=stored.pk).note == "Han är en fotbollsfantast."

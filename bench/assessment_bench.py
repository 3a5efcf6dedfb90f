"""Benchmark assessment pages on a generated municipality: the rubric grid and the knowledge overview.

    .venv/bin/python bench/assessment_bench.py [--requests 50] [--regenerate]

Uses ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/unikum_bench_assessment), creating
the database if it is missing, and generates the data once: 20,000 pupils in 667 classes of 30 at
20 schools, a guardian each, a teacher and a mentor per class; 3 plans per class with a 15-aspect
rubric; 1,000,000 rubric marks (50 per pupil: every aspect once, five aspects twice); 6 summative
assessments per pupil (3 subjects × 2 terms, published) and a learning log entry per pupil.

This is benchmark data, so it is written with bulk inserts straight into the tables: no auditlog
entries and no signals. Audiences and grants are then derived once with ``audiences.sync()``,
the same derivation the nightly ``sync_permissions`` runs, so access checks in the measured pages
see realistic permission tables (about 600,000 grant rows).

Measured: the server time of ``GET`` on the grid (30 pupils × 15 aspects, as the class teacher) and
on one pupil's knowledge overview (as the guardian and as the teacher), through Django's test
client, median and 95th percentile over ``--requests`` requests, and their query counts.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/unikum_bench_assessment"

SCHOOLS = 20
CLASSES = 667
PER_CLASS = 30
PLANS_PER_CLASS = 3
ASPECTS = 15
EXTRA_MARKS = 5  # second marks per pupil, on the first aspects of the first plan
BATCH = 10_000


def ensure_database(url):
    import psycopg
    from dj_database_url import parse

    config = parse(url)
    with psycopg.connect(
        host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"], dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def generate():
    from django.db import transaction

    from accounts import audiences
    from accounts.models import (
        Enrolment,
        Guardianship,
        Organiser,
        PupilGroup,
        School,
        SchoolRole,
        StaffAssignment,
        User,
    )
    from assessment.models import (
        AssessmentScale,
        LearningLogEntry,
        RubricAssessment,
        RubricMark,
        State,
        SummativeAssessment,
    )
    from planning.models import Curriculum, Plan, Rubric, RubricLevel, RubricRow, Subject

    started = time.perf_counter()

    def say(message):
        print(f"  {time.perf_counter() - started:7.1f}s {message}", flush=True)

    with transaction.atomic():
        organiser = Organiser.objects.create(name="Benchkommun")
        schools = School.objects.bulk_create(
            [School(organiser=organiser, name=f"Skola {n:02d}", school_forms=["GR"]) for n in range(SCHOOLS)]
        )
        groups = PupilGroup.objects.bulk_create(
            [
                PupilGroup(
                    school=schools[n % SCHOOLS],
                    name=f"{7 + n % 3}{n:03d}",
                    school_form="GR",
                    year_level=7 + n % 3,
                    school_year=2026,
                )  # fmt: skip
                for n in range(CLASSES)
            ]
        )
        users = []
        for n in range(CLASSES):
            users.append(User(username=f"larare{n}", first_name="Lärare", last_name=f"{n}", password="!"))
            users.append(User(username=f"mentor{n}", first_name="Mentor", last_name=f"{n}", password="!"))
        for n in range(SCHOOLS):
            users.append(User(username=f"rektor{n}", first_name="Rektor", last_name=f"{n}", password="!"))
        pupils_total = CLASSES * PER_CLASS
        for n in range(pupils_total):
            users.append(User(username=f"elev{n}", first_name="Elev", last_name=f"{n:05d}", password="!"))
            users.append(User(username=f"vh{n}", first_name="Vårdnadshavare", last_name=f"{n:05d}", password="!"))
        User.objects.bulk_create(users, batch_size=BATCH)
        by_name = dict(User.objects.values_list("username", "id"))
        say(f"{len(users)} people")
        StaffAssignment.objects.bulk_create(
            [
                StaffAssignment(staff_id=by_name[f"{kind}{n}"], group=groups[n], role=role)
                for n in range(CLASSES)
                for kind, role in (("larare", "teacher"), ("mentor", "mentor"))
            ]
        )
        SchoolRole.objects.bulk_create(
            [SchoolRole(user_id=by_name[f"rektor{n}"], school=schools[n], role="rektor") for n in range(SCHOOLS)]
            + [
                SchoolRole(user_id=by_name[f"{kind}{n}"], school=groups[n].school, role="teacher")
                for n in range(CLASSES)
                for kind in ("larare", "mentor")
            ]
        )
        pupil_ids = [by_name[f"elev{n}"] for n in range(pupils_total)]
        Enrolment.objects.bulk_create(
            [Enrolment(pupil_id=pupil_ids[n], group=groups[n // PER_CLASS]) for n in range(pupils_total)],
            batch_size=BATCH,
        )
        Guardianship.objects.bulk_create(
            [Guardianship(guardian_id=by_name[f"vh{n}"], pupil_id=pupil_ids[n]) for n in range(pupils_total)],
            batch_size=BATCH,
        )
        say("memberships")

        curriculum = Curriculum.objects.create(code="LGR22", name="Lgr22")
        subjects = Subject.objects.bulk_create(
            [
                Subject(curriculum=curriculum, code=f"GRGR{code}01", name=name, school_form="GR")
                for code, name in (("MAT", "Matematik"), ("SVE", "Svenska"), ("ENG", "Engelska"))
            ]
        )
        plans = Plan.objects.bulk_create(
            [
                Plan(
                    school=groups[n].school,
                    title=f"{subject.name} ht 2026",
                    subject=subject,
                    start_date=datetime.date(2026, 8, 20),
                    end_date=datetime.date(2026, 12, 18),
                    state=Plan.State.PUBLISHED,
                    created_by_id=by_name[f"larare{n}"],
                )  # fmt: skip
                for n in range(CLASSES)
                for subject in subjects
            ],
            batch_size=BATCH,
        )
        Plan.groups.through.objects.bulk_create(
            [Plan.groups.through(plan=plan, pupilgroup=groups[i // PLANS_PER_CLASS]) for i, plan in enumerate(plans)],
            batch_size=BATCH,
        )
        rubrics = Rubric.objects.bulk_create([Rubric(plan=plan) for plan in plans], batch_size=BATCH)
        levels = RubricLevel.objects.bulk_create(
            [RubricLevel(rubric=r, name=name, position=p) for r in rubrics for p, name in enumerate("ECA")],
            batch_size=BATCH,
        )
        rows = RubricRow.objects.bulk_create(
            [RubricRow(rubric=r, title=f"Aspekt {p + 1}", position=p) for r in rubrics for p in range(ASPECTS)],
            batch_size=BATCH,
        )
        say(f"{len(plans)} plans with rubrics")

        assessments = RubricAssessment.objects.bulk_create(
            [
                RubricAssessment(
                    plan=plans[(n // PER_CLASS) * PLANS_PER_CLASS + k],
                    pupil_id=pupil_ids[n],
                    state=State.SHARED,
                    created_by_id=by_name[f"larare{n // PER_CLASS}"],
                )  # fmt: skip
                for n in range(pupils_total)
                for k in range(PLANS_PER_CLASS)
            ],
            batch_size=BATCH,
        )
        marks, total = [], 0
        for index, assessment in enumerate(assessments):
            n, k = divmod(index, PLANS_PER_CLASS)
            plan_index = (n // PER_CLASS) * PLANS_PER_CLASS + k
            teacher = by_name[f"larare{n // PER_CLASS}"]
            for aspect in range(ASPECTS):
                row = rows[plan_index * ASPECTS + aspect]
                first = levels[plan_index * 3 + (n + aspect) % 2]
                marks.append(
                    RubricMark(
                        assessment=assessment,
                        row=row,
                        level=first,
                        date=datetime.date(2026, 9, 15),
                        created_by_id=teacher,
                    )  # fmt: skip
                )
                if k == 0 and aspect < EXTRA_MARKS:
                    marks.append(
                        RubricMark(
                            assessment=assessment,
                            row=row,
                            level=levels[plan_index * 3 + 2],
                            date=datetime.date(2026, 11, 15),
                            created_by_id=teacher,
                        )  # fmt: skip
                    )
            if len(marks) >= BATCH:
                RubricMark.objects.bulk_create(marks)
                total += len(marks)
                marks = []
        RubricMark.objects.bulk_create(marks)
        total += len(marks)
        say(f"{total} rubric marks")

        steps = list(AssessmentScale.for_organiser(organiser).steps.all())
        summatives = [
            SummativeAssessment(
                pupil_id=pupil_ids[n],
                school=groups[n // PER_CLASS].school,
                subject=subject,
                year=year,
                term=term,
                step=steps[(n + s + term) % 3],
                state=SummativeAssessment.State.PUBLISHED,
                created_by_id=by_name[f"larare{n // PER_CLASS}"],
                updated_by_id=by_name[f"larare{n // PER_CLASS}"],
            )  # fmt: skip
            for n in range(pupils_total)
            for s, subject in enumerate(subjects)
            for year, term in ((2026, 1), (2026, 2))
        ]
        SummativeAssessment.objects.bulk_create(summatives, batch_size=BATCH)
        say(f"{len(summatives)} summative assessments")
        entries = [
            LearningLogEntry(
                plan=plans[(n // PER_CLASS) * PLANS_PER_CLASS],
                pupil_id=pupil_ids[n],
                title="Bråkuppgiften",
                current="<p>Du jämför bråk med olika nämnare.</p>",
                goal="<p>Att förklara hur du tänker.</p>",
                next_step="Skriv ett resonemang i två steg.",
                state=State.SHARED,
                created_by_id=by_name[f"larare{n // PER_CLASS}"],
                updated_by_id=by_name[f"larare{n // PER_CLASS}"],
            )  # fmt: skip
            for n in range(pupils_total)
        ]
        LearningLogEntry.objects.bulk_create(entries, batch_size=BATCH)
        say(f"{len(entries)} learning log entries")
        drift = audiences.sync()
        say(f"audiences and grants: {drift.summary()}")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client, user, url, requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": len(queries),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--regenerate", action="store_true", help="Drop the generated data and generate it again.")
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unikum.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from assessment.models import RubricMark
    from planning.models import Plan

    if args.regenerate:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="elev0").exists():
        print("Generating the municipality (once)…", flush=True)
        generate()
    marks = RubricMark.objects.count()
    pupils = User.objects.filter(username__startswith="elev").count()
    print(f"{pupils} pupils, {marks} rubric marks", flush=True)

    setup_test_environment()  # the test client's host is allowed; nothing else changes for the pages
    client = Client()
    middle = CLASSES // 2
    teacher = User.objects.get(username=f"larare{middle}")
    pupil = User.objects.get(username=f"elev{middle * PER_CLASS + 7}")
    guardian = User.objects.get(username=f"vh{middle * PER_CLASS + 7}")
    plan = Plan.objects.filter(groups__enrolments__pupil=pupil).order_by("id").first()
    results = {
        "grid (teacher, 30 × 15)": measure(
            client, teacher, reverse("assessment:grid", args=[plan.code]), args.requests
        ),
        "overview (guardian)": measure(
            client, guardian, reverse("assessment:overview", args=[pupil.code]), args.requests
        ),
        "overview (teacher)": measure(
            client, teacher, reverse("assessment:overview", args=[pupil.code]), args.requests
        ),
    }
    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, figures in results.items():
        print(f"{name:28} {figures['median_ms']:>10} {figures['p95_ms']:>8} {figures['queries']:>8}")


if __name__ == "__main__":
    main()

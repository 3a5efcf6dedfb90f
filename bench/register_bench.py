"""Benchmark the register import: a full import, an unchanged re-run, a run with 1 % changes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/unikum_register_bench \\
        .venv/bin/python bench/register_bench.py [--scale 1.0] [--workdir /tmp/register-bench]

The database named in DATABASE_URL is dropped and created again. Data comes
from bench/register_data.py (70,000 pupils, 120,000 guardians, 8,000 staff and
4,000 groups at scale 1) and is read with ``sync_ss12000 --from-dir``'s reader.
Each step runs in its own process, so its peak memory (max RSS) is its own.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def step_import(folder):
    import django

    django.setup()
    from accounts.register import ss12000
    from accounts.register.runs import run_import

    marks = {"start": time.perf_counter()}

    def read():
        data = ss12000.read_directory(folder)
        marks["read"] = time.perf_counter()
        return data

    def progress(stage, done, total):
        if stage == "permissions":
            marks["permissions"] = time.perf_counter()

    run = run_import(read, source="ss12000-files", source_detail=folder, schedule="benchmark", progress=progress)
    end = time.perf_counter()
    return {
        "status": run.status,
        "error": run.error,
        "seconds": round(end - marks["start"], 1),
        "read": round(marks["read"] - marks["start"], 1),
        "write": round(marks["permissions"] - marks["read"], 1),
        "permissions": round(end - marks["permissions"], 1),
        "counts": run.counts,
    }


def step_permissions():
    import django

    django.setup()
    from accounts import audiences
    from accounts.audiences import Scope

    start = time.perf_counter()
    derived = audiences.derive_memberships(Scope.everything())
    derive = time.perf_counter() - start
    start = time.perf_counter()
    drift = audiences.sync(Scope.everything())
    total = time.perf_counter() - start
    return {
        "derive_memberships": round(derive, 1),
        "sync_everything_no_drift": round(total, 1),
        "audiences": len(derived),
        "drift": drift.summary(),
    }


def child(step, folder):
    result = step_import(folder) if step == "import" else step_permissions()
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


def run_child(step, folder=""):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "unikum.settings"}
    out = subprocess.run(
        [sys.executable, __file__, "--child", step, "--dir", folder],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"step {step} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def recreate_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "unikum.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workdir", default="/tmp/register-bench")
    parser.add_argument("--child")
    parser.add_argument("--dir", default="")
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.dir)

    import register_data

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database the benchmark may drop and create.")
    sizes = {name: int(n * args.scale) for name, n in (("pupils", 70_000), ("guardians", 120_000))}
    sizes.update(staff=int(8_000 * args.scale), groups=int(4_000 * args.scale))
    base, changed = Path(args.workdir) / f"base-{args.scale}", Path(args.workdir) / f"changed-{args.scale}"
    start = time.perf_counter()
    register_data.generate(base, **sizes)
    register_data.generate(changed, **sizes, changes=0.01)
    print(f"generated {sizes} in {time.perf_counter() - start:.0f} s")
    recreate_database(url)
    results = {}
    for label, step, folder in (
        ("first import", "import", base),
        ("unchanged re-run", "import", base),
        ("1 % changes", "import", changed),
        ("permission sync (everything)", "permissions", ""),
    ):
        results[label] = run_child(step, str(folder))
        print(f"{label}: {json.dumps(results[label])}", flush=True)


if __name__ == "__main__":
    main()

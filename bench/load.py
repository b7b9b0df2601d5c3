"""Load benchmark (issue 15's row: completion POSTs under load reach ≥ 0.6 of a
trivial POST's throughput, with 0 errors). Starts gunicorn (2 workers,
production settings) on loopback against the database in DATABASE_URL, writes
a plan for bench/locustfile.py (sessions for teachers who joined an open
online activity and have not completed it, and one (teacher, activity) pair
per completion), then runs locust headless twice with the same number of
clients: the trivial POST (/inbox/read/: session, user, CSRF, one UPDATE, a
redirect) and the completion POSTs (a post in a discussion, homework as text,
an observation form: each completes one participation and credits its hours
through the ledger). Prints each run's throughput, the ratio complete/trivial
and the errors: failed requests, and completions the database does not show
(a refused completion still redirects, with its message).

It WRITES to the database (sessions, posts, credits): run it on a copy of the
seeded one, never on the database others measure pages on:

    psql -h 127.0.0.1 -U postgres -c \\
        "CREATE DATABASE xiaoben_load TEMPLATE xiaoben_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben_load \\
        .venv/bin/python bench/load.py [--users 200 --seconds 30 --rounds 1]

Needs locust (`pip install -e '.[bench]'`). Each run uses new pairs, so it may
be repeated on the same copy until the open activities run out.
"""

import argparse
import collections
import csv
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

ROOT = common.ROOT
TARGET = 0.6
ONLINE = ("discussion", "homework", "observation")


def plan(*, pairs: int, seed: int, schools: int = 0) -> dict:
    """Sessions and (session, kind, activity, question ids) pairs: teachers who
    joined an open online activity of their group and have not completed it
    (not the group's leader: their hours wait as a claim, a different path).
    `schools`: only from that many schools (the first by code), as when one
    school's teachers all complete at once; 0: the whole district."""
    from django.db.models import F
    from django.utils import timezone

    from accounts.models import School
    from accounts.selectors import cycle_current
    from activities.models import Activity, ObservationQuestion, Participation, Status

    today = timezone.localdate()
    waiting = (
        Participation.objects.filter(
            completed_at__isnull=True,
            activity__kind__in=ONLINE,
            activity__status=Status.PUBLISHED,
            activity__cycle=cycle_current(),
            activity__opens_on__lte=today,
            activity__closes_on__gte=today,
            activity__group__archived_at__isnull=True,
            user__group_memberships__group=F("activity__group"),
            user__memberships__school=F("activity__group__school"),
            user__memberships__removed_at__isnull=True,
            user__memberships__is_teacher=True,
        )
        .exclude(user=F("activity__group__leader"))
        .values_list("user_id", "activity_id", "activity__kind")
    )
    if schools:
        first = School.objects.order_by("code").values("pk")[:schools]
        waiting = waiting.filter(activity__group__school__in=first)
    rows = list(waiting)
    random.Random(seed).shuffle(rows)
    rows = rows[:pairs]
    questions: dict[int, list[int]] = {}
    observed = {a for _, a, kind in rows if kind == Activity.Kind.OBSERVATION}
    for activity_id, _kind, pk in (
        ObservationQuestion.objects.filter(form__activity_id__in=observed)
        .order_by("position")
        .values_list("form__activity_id", "kind", "pk")
    ):
        questions.setdefault(activity_id, []).append(pk)
    sessions = _sessions(sorted({u for u, _, _ in rows}))
    return {
        "sessions": list(sessions.values()),
        "pairs": [[sessions[u], kind, a, questions.get(a, [])] for u, a, kind in rows],
        "users": [u for u, _, _ in rows],  # for the check afterwards; locust ignores it
    }


def figures_ready() -> int:
    """Compute the per-school figures the seed leaves out (SchoolStats: a
    deployment has them; without them each school's first credit recomputes
    its row, which is not what is measured here). How many were computed."""
    from accounts.models import School
    from accounts.selectors import cycle_current
    from assessment.selectors.district import school_stats_missing
    from assessment.services.stats import school_stats_ensure

    cycle = cycle_current()
    missing = len(school_stats_missing(schools=School.objects.all(), cycle=cycle))
    school_stats_ensure(schools=School.objects.all(), cycle=cycle)
    return missing


def _sessions(user_ids: list[int]) -> dict[int, str]:
    """A logged-in session for each user, as a login makes (one INSERT for all)."""
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import User

    backend = settings.AUTHENTICATION_BACKENDS[-1]
    expires = timezone.now() + timedelta(days=1)
    store = SessionStore()
    keys, rows = {}, []
    for user in User.objects.filter(pk__in=user_ids).only("pk", "password"):
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys[user.pk] = key
    Session.objects.bulk_create(rows, batch_size=2000)
    if connection.vendor == "postgresql":
        # Thousands of sessions at once: without fresh statistics the planner
        # looks a session up through the expiry index (10 ms a request).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE django_session")
    return keys


def refused(the_plan: dict, answered: int, users: int) -> tuple[int, int]:
    """(completions the database shows, POSTs it refused) for a run of the plan.
    Locust takes the pairs in plan order and `answered` POSTs got an answer,
    so the first `answered - users` pairs were surely sent and answered (the
    last `users` may have been in flight when the run stopped); any of them
    not completed was refused: a refused completion redirects like a done
    one, with its message."""
    from activities.models import Participation

    wanted = [(u, a) for u, (_, _, a, _) in zip(the_plan["users"], the_plan["pairs"], strict=True)]
    done = set(
        Participation.objects.filter(
            completed_at__isnull=False,
            user_id__in={u for u, _ in wanted},
            activity_id__in={a for _, a in wanted},
        ).values_list("user_id", "activity_id")
    )
    sent = wanted[: max(0, answered - users)]
    return sum(pair in done for pair in wanted), sum(pair not in done for pair in sent)


# ---- gunicorn and locust ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int, log: Path, threads: int = 1) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--workers",
        str(workers),
        # More than one: gthread workers, whose threads overlap one request's
        # waits on the database with another's Python.
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--no-control-socket",
        "--error-logfile",
        str(log),
        "--access-logfile",
        str(log.parent / "access.log"),
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT
    )
    for _ in range(100):
        time.sleep(0.2)
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
            )
            if urllib.request.urlopen(request, timeout=2).status == 200:
                return server
        except OSError:
            if server.poll() is not None:
                break
    stop(server)
    sys.exit(f"gunicorn did not start: see {log}")


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc); 0 if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(server: subprocess.Popen) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the gunicorn workers and of the PostgreSQL
    backends serving this database (the bench's own connection aside)."""
    from django.db import connection

    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        backends = [pid for (pid,) in cursor.fetchall()]
    connection.close()
    return {
        "web": {int(pid): _cpu(int(pid)) for pid in children},
        "db": {pid: _cpu(pid) for pid in backends},
    }


def drain(server: subprocess.Popen) -> None:
    """Wait until the workers are idle: requests queued when locust stopped
    are still served (their clients gone), and belong to the run that sent them."""
    last = None
    for _ in range(120):
        now = sum(cpu_snapshot(server)["web"].values())
        if last is not None and now - last < 0.02:
            return
        last = now
        time.sleep(1)


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds each side used between two snapshots (a backend opened in
    between counts from zero)."""
    return {
        side: sum(t - before[side].get(pid, 0.0) for pid, t in after[side].items())
        for side in after
    }


class LockWaits(threading.Thread):
    """Samples, every 0.1 s while a run goes, how many of this database's
    backends are busy and which statements wait for a lock (a row another
    transaction holds): the sign of writes serialised on a hot row."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.busy = 0
        self.waiting: collections.Counter = collections.Counter()

    def run(self):
        from django.db import connection

        with connection.cursor() as cursor:
            while not self.stop.wait(0.1):
                cursor.execute(
                    "SELECT wait_event_type = 'Lock', left(query, 60) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND state = 'active'"
                )
                for waits, query in cursor.fetchall():
                    self.busy += 1
                    if waits:
                        self.waiting[" ".join(query.split()[:3])] += 1
        connection.close()

    def report(self) -> str:
        self.stop.set()
        self.join()
        waits = sum(self.waiting.values())
        share = waits * 100 // max(self.busy, 1)
        top = "; ".join(f"{n} × {q}" for q, n in self.waiting.most_common(3))
        return f"lock waits {share}%" + (f": {top}" if top else "")


def locust(*, mode: str, plan_file: Path, port: int, users: int, seconds: int, folder: Path):
    """One headless run; (requests answered, failures)."""
    exe = shutil.which("locust", path=str(Path(sys.executable).parent)) or shutil.which("locust")
    if exe is None:
        sys.exit("locust is not installed: pip install -e '.[bench]'")
    prefix = folder / mode
    command = [
        exe,
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 4)),
        "--run-time",
        f"{seconds}s",
        "--only-summary",
        "--csv",
        str(prefix),
        "--host",
        f"http://127.0.0.1:{port}",
        "--loglevel",
        "WARNING",
    ]
    env = {**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_MODE": mode}
    subprocess.run(command, env=env, check=False, capture_output=True, text=True)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        total = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    return int(total["Request Count"]), int(total["Failure Count"])


def _per_request(used: dict[str, float], requests: int) -> tuple[float, float]:
    """(web, db) CPU milliseconds per request."""
    n = max(requests, 1)
    return used["web"] * 1000 / n, used["db"] * 1000 / n


def served(log: Path) -> int:
    """Requests gunicorn has answered so far (its access log's lines)."""
    with log.open("rb") as handle:
        return sum(1 for _ in handle)


def one_round(r: int, *, args, server, runs) -> tuple[float, int]:
    """Plan, run trivial then complete, print both lines; (ratio, errors).

    Throughput is counted on the server (the access log), not from locust's
    answers: with 200 clients queued on 2 workers a slow request waits
    seconds in the queue, so a run's last answers arrive after it stops and
    locust's own rate would undercount the slower kind."""
    from django.db import connection

    the_plan = plan(pairs=args.pairs, seed=r + int(time.time()), schools=args.schools)
    if not the_plan["pairs"]:
        sys.exit("No open online activity waits for a completion in this database.")
    plan_file = runs["folder"] / "plan.json"
    plan_file.write_text(json.dumps(the_plan), encoding="utf-8")
    access = runs["folder"] / "access.log"
    connection.close()  # idle while locust runs
    lines = {}
    for mode in ("trivial", "complete"):
        before, count = cpu_snapshot(server), served(access)
        sampler = LockWaits()
        sampler.start()
        answered, failed = locust(mode=mode, plan_file=plan_file, **runs)
        in_run = served(access) - count
        waits = sampler.report()
        drain(server)
        in_all = served(access) - count
        web, db = _per_request(cpu_used(before, cpu_snapshot(server)), in_all)
        lines[mode] = (answered, failed, in_run / args.seconds, web, db, waits)
    shown, refusals = refused(the_plan, lines["complete"][0], args.users)
    for mode, (answered, failed, rate, web, db, waits) in lines.items():
        note = f"{refusals:>8}" if mode == "complete" else " " * 8
        print(
            f"{r:<6} {mode:<9} {answered:>8} {failed:>8} {note} {rate:>8.1f} {web:>10.1f}"
            f" {db:>9.1f}  {waits}"
        )
    print(f"{'':<16} {shown} completions in the database")
    if shown >= len(the_plan["pairs"]) - args.users:
        print("  (the plan ran out before the time was up: raise --pairs)")
    ratio = lines["complete"][2] / lines["trivial"][2] if lines["trivial"][2] else 0.0
    return ratio, lines["trivial"][1] + lines["complete"][1] + refusals


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread when > 1)")
    parser.add_argument("--pairs", type=int, default=20_000, help="completions planned per run")
    parser.add_argument("--rounds", type=int, default=1, help="trivial then complete, repeated")
    parser.add_argument("--schools", type=int, default=0, help="pairs from that many schools only")
    args = parser.parse_args()
    common.setup()
    if "xiaoben_bench" in os.environ["DATABASE_URL"]:
        sys.exit("bench/load.py writes: run it on a copy (CREATE DATABASE … TEMPLATE …).")
    computed = figures_ready()
    if computed:
        print(f"computed the figures of {computed} schools first (the seed leaves them out)")
    folder = Path(tempfile.mkdtemp(prefix="xiaoben-load-"))
    log = folder / "gunicorn.log"
    port = free_port()
    server = start_gunicorn(port, args.workers, log, args.threads)
    runs = dict(users=args.users, seconds=args.seconds, port=port, folder=folder)
    print(
        f"{args.users} clients, {args.seconds} s a run, {args.workers} gunicorn workers"
        f" × {args.threads} thread(s)"
    )
    print(
        f"{'round':<6} {'run':<9} {'answered':>8} {'failures':>8} {'refused':>8} {'served/s':>8}"
        f" {'web CPU ms':>10} {'db CPU ms':>9}  (CPU per request served; share of busy"
        " backends seen waiting for a lock)"
    )
    ratios, errors = [], 0
    try:
        for r in range(1, args.rounds + 1):
            ratio, failed = one_round(r, args=args, server=server, runs=runs)
            ratios.append(ratio)
            errors += failed
    finally:
        stop(server)
    ratio = statistics.median(ratios)
    verdict = "ok" if ratio >= TARGET and not errors else "MISSED"
    print(
        f"throughput ratio complete/trivial: {ratio:.2f} (median of {len(ratios)}; target ≥ "
        f"{TARGET}, 0 errors): {errors} errors, {verdict}"
    )
    deadlocks = log.read_text(encoding="utf-8", errors="replace").count("deadlock detected")
    print(f"gunicorn log: {log} ({deadlocks} deadlocks)")


if __name__ == "__main__":
    main()

"""Benchmark: ballots per second through the web layer, with PostgreSQL, on loopback.

Run with `make bench BENCH=consultation_load` (or `benchmarks/.venv/bin/python -m
benchmarks.consultation_load` from the repository root; locust 2.47 must be installed, as
benchmarks/requirements.txt does). It

1. creates a fresh PostgreSQL database (dropped first if it exists) and migrates it;
2. sets up, through the services, a published participatory-budget vote (knapsack, 10
   projects, at most 3 per voter) with many voting codes, and writes the codes to
   benchmarks/data/ (git-ignored);
3. starts the platform under waitress on 127.0.0.1 (DEBUG off, persistent database
   connections), one or more processes on consecutive ports;
4. runs locust headless (benchmarks/consultation_locustfile.py): every simulated voter posts
   complete ballots, each with a fresh code (the code typed on the ballot, the way a letter
   asks), as fast as the server answers; 10% of the posts reuse a code already used, which
   changes that ballot;
5. prints ballots per second, the median and p95 latency of a ballot post, and checks the
   database afterwards: one ballot per code used, each with its choices.

Benchmarks are not tests: this measures and prints; it fails only when a ballot post failed
or the stored ballots do not match what was sent.

Environment:
  BENCH_CONSULT_DATABASE   admin URL of the PostgreSQL server (default
                           postgres://postgres@127.0.0.1:5432/postgres); the benchmark
                           database is samenspraak_bench_consult on that server
  BENCH_CONSULT_USERS      simulated voters at once (default 24)
  BENCH_CONSULT_SECONDS    length of the measured run (default 30)
  BENCH_CONSULT_CODES      voting codes made beforehand (default 30000)
  BENCH_CONSULT_PROCESSES  waitress processes (default 2: one per core of the machine)
  BENCH_CONSULT_THREADS    threads per waitress process (default 4)
  BENCH_CONSULT_PORT       first port (default: free ports chosen by the system)
"""

from __future__ import annotations

import csv
import json
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
DB_NAME = "samenspraak_bench_consult"
SLUG = "stembenchmark"


def log(message: str) -> None:
    stamp = datetime.now().strftime("%H:%M:%S")  # noqa: DTZ005 - local wall clock for progress lines
    print(f"[{stamp}] {message}", flush=True)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def database_urls() -> tuple[str, str]:
    admin = os.environ.get("BENCH_CONSULT_DATABASE", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlparse(admin)
    return admin, urlunparse(parts._replace(path=f"/{DB_NAME}"))


def django_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="samenspraak.config.settings.base",
        DATABASE_URL=database_url,
        DB_CONN_MAX_AGE="600",
        DEBUG="false",
        SECRET_KEY="benchmark-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SAMENSPRAAK_VAR_DIR=str(DATA / "var"),
        LOG_LEVEL="ERROR",
        EMAIL_URL="dummy://",
    )
    return env


def recreate_database(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


# --------------------------------------------------------------------------- setup (subprocess)


def setup_consultation(codes_file: Path, count: int) -> dict:
    """Runs inside Django (``--setup``): a published knapsack PB vote with ``count`` codes."""
    import datetime as dt
    from decimal import Decimal

    import django

    django.setup()
    from django.utils import timezone

    from samenspraak.accounts.models import Role, User
    from samenspraak.consultations import services
    from samenspraak.processes import services as process_services
    from samenspraak.processes.models import District, Municipality, ProcessStatus

    staff = User.objects.create_user(
        email="benchmark@example.org",
        password="benchmark-only",  # noqa: S106 - a throwaway benchmark database
        role=Role.STAFF,
        full_name="Benchmark Medewerker",
    )
    town = Municipality.objects.create(name="Oss", cbs_code="GM0828")
    district = District.objects.create(municipality=town, name="Dichtersbuurt")
    process = process_services.process_create(
        actor=staff,
        title="Benchmark",
        summary="Stemmen onder belasting.",
        challenge="Hoeveel stemmen per seconde?",
        municipality=town,
        districts=[district],
        status=ProcessStatus.ACTIVE,
    )
    now = timezone.now()
    consultation = services.consultation_create(
        actor=staff,
        process=process,
        slug=SLUG,
        data={
            "title": "Stembenchmark",
            "kind": "participatory_budget",
            "verification": "code",
            "opens_at": now - dt.timedelta(hours=1),
            "closes_at": now + dt.timedelta(days=7),
            "allow_changes": True,
            "ask_demographics": True,
            "ballot_type": "knapsack",
            "budget": Decimal("300000.00"),
            "min_choices": 1,
            "max_choices": 3,
        },
    )
    projects = [
        {"code": str(n), "title": f"Project {n}", "cost": Decimal(20000 + 7000 * n)}
        for n in range(1, 11)
    ]
    services.items_replace(actor=staff, consultation=consultation, items=projects)
    started = time.perf_counter()
    made = services.codes_generate(actor=staff, consultation=consultation, count=count)
    seconds = time.perf_counter() - started
    services.consultation_publish(actor=staff, consultation=consultation)
    codes_file.write_text("\n".join(c.code for c in made) + "\n", encoding="utf-8")
    return {
        "projects": [p["code"] for p in projects],
        "codes": len(made),
        "codes_seconds": round(seconds, 2),
    }


def check_database() -> dict:
    """Runs inside Django (``--check``): ballots, choices and their consistency."""
    import django

    django.setup()
    from django.db.models import Count

    from samenspraak.consultations.models import Ballot, Choice

    ballots = Ballot.objects.filter(consultation__slug=SLUG)
    per_ballot = ballots.annotate(n=Count("choices")).values_list("n", flat=True)
    return {
        "ballots": ballots.count(),
        "changed": ballots.filter(revision__gt=1).count(),
        "choices": Choice.objects.filter(ballot__consultation__slug=SLUG).count(),
        "empty_ballots": sum(1 for n in per_ballot if n == 0),
        "max_choices_on_a_ballot": max(per_ballot, default=0),
        "duplicate_voters": ballots.values("voter_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count(),
    }


def in_django(flag: str, env: dict[str, str], *args: str) -> dict:
    result = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "benchmarks.consultation_load", flag, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{flag} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- the run


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on now (the system picks them)."""
    import socket

    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def start_servers(env: dict[str, str], processes: int, threads: int, ports: list[int]) -> list:
    """Start waitress; its output goes to benchmarks/data/waitress-<port>.log (a pipe nobody
    reads would fill up with waitress's "task queue depth" warnings and stall the server)."""
    servers = []
    for port in ports[:processes]:
        log_file = open(DATA / f"waitress-{port}.log", "wb")  # noqa: SIM115 - kept while it runs
        servers.append(
            subprocess.Popen(  # noqa: S603 - fixed arguments
                [
                    sys.executable,
                    "-m",
                    "waitress",
                    f"--listen=127.0.0.1:{port}",
                    f"--threads={threads}",
                    "--connection-limit=500",
                    "--backlog=2048",
                    "--channel-timeout=30",
                    "samenspraak.config.wsgi:application",
                ],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    deadline = time.time() + 60
    for n, port in enumerate(ports[:processes]):
        url = f"http://127.0.0.1:{port}/raadplegingen/{SLUG}/stemmen/"
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline or servers[n].poll() is not None:
                stop_servers(servers)
                errors = (DATA / f"waitress-{port}.log").read_text(errors="replace")[-2000:]
                raise SystemExit(f"server on port {port} did not start:\n{errors}")
            time.sleep(0.3)
    return servers


def stop_servers(servers: list) -> None:
    for server in servers:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
    for server in servers:
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def run_locust(hosts: list[str], env: dict[str, str], users: int, seconds: int, prefix: Path):
    locust_env = {
        **env,
        "BENCH_HOSTS": ",".join(hosts),
        "BENCH_SLUG": SLUG,
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "benchmarks" / "consultation_locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--host",
        hosts[0],
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "5",
    ]
    return subprocess.run(command, cwd=ROOT, env=locust_env, check=False)  # noqa: S603


def read_stats(prefix: Path) -> dict[str, dict[str, str]]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--setup":
        print(json.dumps(setup_consultation(Path(sys.argv[2]), int(sys.argv[3]))))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        print(json.dumps(check_database()))
        return 0

    users = env_int("BENCH_CONSULT_USERS", 24)
    seconds = env_int("BENCH_CONSULT_SECONDS", 30)
    count = env_int("BENCH_CONSULT_CODES", 30000)
    processes = env_int("BENCH_CONSULT_PROCESSES", 2)
    threads = env_int("BENCH_CONSULT_THREADS", 4)
    first_port = env_int("BENCH_CONSULT_PORT", 0)
    DATA.mkdir(parents=True, exist_ok=True)
    admin_url, database_url = database_urls()
    env = django_env(database_url)

    log(f"{platform.node()}: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    log(f"fresh database {DB_NAME}; migrating")
    recreate_database(admin_url)
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    codes_file = DATA / "consultation_codes.txt"
    setup = in_django("--setup", env, str(codes_file), str(count))
    log(f"{setup['codes']} voting codes made in {setup['codes_seconds']} s (hashed, stored)")

    env["BENCH_CODES_FILE"] = str(codes_file)
    env["BENCH_PROJECTS"] = ",".join(setup["projects"])
    ports = [first_port + n for n in range(processes)] if first_port else free_ports(processes)
    hosts = [f"http://127.0.0.1:{port}" for port in ports]
    log(f"waitress: {processes} process(es) x {threads} threads on {', '.join(hosts)}")
    servers = start_servers(env, processes, threads, ports)
    prefix = DATA / f"consultation-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    load_before = os.getloadavg()[0]
    try:
        log(f"locust: {users} voters for {seconds} s, load {load_before:.2f}")
        run_locust(hosts, env, users, seconds, prefix)
    finally:
        load_after = os.getloadavg()[0]
        stop_servers(servers)
    stats = read_stats(prefix)
    ballot = stats.get("ballot")
    if ballot is None:
        raise SystemExit("locust wrote no statistics for the ballot posts")
    checked = in_django("--check", env)
    posts = int(ballot["Request Count"])
    failures = int(ballot["Failure Count"])
    # Over the whole run (spawning included), so a stall in the middle cannot hide.
    per_second = posts / seconds
    locust_rate = float(ballot["Requests/s"])
    print()
    print("Ballot submission through the web layer (PostgreSQL, waitress, locust, loopback)")
    print(f"  ballot posts          {posts} in {seconds} s, {failures} failed")
    print(f"  ballots per second    {per_second:.0f}")
    print(f"  latency median / p95  {ballot['50%']} ms / {ballot['95%']} ms")
    print(f"  max latency           {float(ballot['Max Response Time']):.0f} ms")
    print(
        f"  stored                {checked['ballots']} ballots ({checked['changed']} changed), "
        f"{checked['choices']} choices"
    )
    print(f"  settings              {processes} x {threads} threads, {users} voters")
    print(
        f"  machine               {os.cpu_count()} cores, 1-minute load {load_before:.2f} "
        f"before and {load_after:.2f} at the end (the run itself adds about 2)"
    )
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "users": users,
        "seconds": seconds,
        "processes": processes,
        "threads": threads,
        "posts": posts,
        "failures": failures,
        "per_second": per_second,
        "median_ms": ballot["50%"],
        "p95_ms": ballot["95%"],
        "database": checked,
        "load_before": load_before,
        "load_after": load_after,
    }
    (DATA / f"{prefix.name}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    problems = []
    if failures:
        problems.append(f"{failures} ballot posts failed")
    if abs(locust_rate - per_second) > 0.15 * per_second:
        problems.append(
            f"locust measured {locust_rate:.0f}/s while posting; the run stalled for a while"
        )
    if checked["duplicate_voters"] or checked["empty_ballots"]:
        problems.append(f"the stored ballots are inconsistent: {checked}")
    if checked["max_choices_on_a_ballot"] > 3:
        problems.append("a ballot holds more than 3 choices")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""`make chaos`: fault tolerance on private PostgreSQL + Redis instances, loopback only.

    .venv/bin/python bench/chaos.py [--shops 10000] [--load-seconds 8] [--outage-seconds 4]

Starts its OWN PostgreSQL cluster (initdb in a temp folder, port 5440) and Redis (port 6390),
never touching the machine's shared servers, and runs three scenarios:

a. worker kills — an inactivity sweep over N shops (spread last activity, prior episodes in
   every stage); the real Celery worker (`celery -A sellercenter worker`, whole process group)
   is SIGKILLed at 10 %, 50 % and 90 % of the notice emails and restarted. Emails go to Django's
   file-based backend and are counted per (recipient, subject). Every shop's stage is checked
   against an independent model of SPEC §9.2.
b. two beats — for three simulated days the sweep task is published twice at the same instant
   (two beat processes firing together): each day swept once (SweepRun rows), no notice twice.
c. outages — gunicorn on loopback serves a steady, bounded load of storefront checkouts and
   seller page views while Redis, and then PostgreSQL, are killed and restarted. Reported: the
   outage window, the errors inside and outside it, every acknowledged order present with its
   lines and stock movements, the stock ledger equal to SKU stock, zero oversell.

Writes bench/results/chaos-<stamp>.{md,json} (and chaos-latest.md), prints the report, stops
its instances and exits non-zero when a check fails.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages import from its root
from bench.ports import wait_port  # noqa: E402

PG_PORT, REDIS_PORT, APP_PORT = 5440, 6390, 8140
WORK = Path(tempfile.gettempdir()) / "sellercenter-chaos"
DB_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/chaos"
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"


def log(msg: str) -> None:
    print(f"[chaos {datetime.now(UTC):%H:%M:%S}] {msg}", flush=True)


# --- private servers --------------------------------------------------------------------------


def _pg_bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    sys.exit("chaos: PostgreSQL server binaries (initdb, pg_ctl) are needed")


class PrivatePostgres:
    """A throw-away cluster in WORK/pg. Run as the ``postgres`` user when we are root."""

    def __init__(self):
        self.bindir = _pg_bindir()
        self.data = WORK / "pg"

    def _run(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess:
        full = [str(self.bindir / cmd[0]), *cmd[1:]]
        if os.geteuid() == 0:
            full = ["runuser", "-u", "postgres", "--", *full]
        return subprocess.run(full, capture_output=True, text=True, check=check)  # noqa: S603

    def init(self) -> None:
        if self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", check=False)
            shutil.rmtree(self.data)
        self.data.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")
        self.start()
        subprocess.run(  # noqa: S603
            ["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-qc",  # noqa: S607
             "CREATE DATABASE chaos"],
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self) -> None:
        opts = (
            f"-p {PG_PORT} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=200 -c shared_buffers=128MB"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w",
                  "-o", opts, "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)


class PrivateRedis:
    def __init__(self):
        self.pidfile = WORK / "redis.pid"

    def start(self) -> None:
        subprocess.run(  # noqa: S603
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1",  # noqa: S607
             "--daemonize",
             "yes", "--save", "", "--appendonly", "no", "--pidfile", str(self.pidfile),
             "--logfile", str(WORK / "redis.log"), "--dir", str(WORK)],
            check=True,
        )  # fmt: skip
        wait_port(REDIS_PORT)

    def kill(self) -> None:
        """SIGKILL, like a crashed or OOM-killed server (nothing persisted: --save '')."""
        try:
            pid = int(self.pidfile.read_text().strip())
            os.kill(pid, signal.SIGKILL)
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.05)
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
        self.pidfile.unlink(missing_ok=True)


def child_env() -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=DB_URL,
        REDIS_URL=REDIS_URL,
        SELLERCENTER_ENV="development",
        DEBUG="0",
        CONN_MAX_AGE="600",
        SELLERCENTER_VAR_DIR=str(WORK / "var"),
        SECRET_KEY="chaos-only-key-" + "c" * 50,
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="sellercenter.settings",
    )
    env.pop("SMTP_HOST", None)  # emails go to the file-based backend in WORK/var/mail
    return env


class Worker:
    """A real `celery -A sellercenter worker` in its own process group (killed as a whole)."""

    def __init__(self, concurrency: int = 2):
        self.concurrency, self.proc, self.starts = concurrency, None, 0

    def start(self) -> None:
        self.starts += 1
        logf = open(WORK / f"worker-{self.starts}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "sellercenter", "worker",
             f"--concurrency={self.concurrency}", "--loglevel=WARNING", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "-n", f"chaos{self.starts}@%h"],
            cwd=ROOT, env=child_env(), stdout=logf, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def sigkill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def mail_dir() -> Path:
    return WORK / "var" / "mail"


# --- the run ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shops", type=int, default=10_000)
    parser.add_argument("--load-seconds", type=float, default=8.0, help="load before/after")
    parser.add_argument("--outage-seconds", type=float, default=4.0)
    parser.add_argument("--load-threads", type=int, default=6)
    parser.add_argument("--only", default="abc", help="scenarios to run, e.g. 'ac'")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    os.chmod(WORK, 0o755)  # noqa: S103 — the postgres user reads its data folder below
    shutil.rmtree(WORK / "var", ignore_errors=True)
    (WORK / "var" / "mail").mkdir(parents=True)
    pg, redis = PrivatePostgres(), PrivateRedis()
    redis.kill()
    log(f"private PostgreSQL on :{PG_PORT} ({pg.bindir}), Redis on :{REDIS_PORT}, files {WORK}")
    pg.init()
    redis.start()
    os.environ.update(child_env())
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from bench.chaos_scenarios import outages, sweeps
    from bench.chaos_scenarios.report import write_report

    report: dict = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start",
        "scenarios": {},
    }
    worker = Worker()
    plan = [
        ("a", "worker_kills", lambda: sweeps.worker_kills(worker, mail_dir, args.shops)),
        ("b", "two_beats", lambda: sweeps.two_beats(worker)),
        ("c", "outages", lambda: outages.outages(pg, redis, worker, child_env(), APP_PORT, args)),
    ]
    try:
        for letter, name, run in plan:
            if letter in args.only:
                try:
                    report["scenarios"][name] = run()
                except Exception as exc:  # a crashed scenario is a failed one, in the report
                    traceback.print_exc()
                    report["errors"] = {**report.get("errors", {}), name: repr(exc)}
    finally:
        worker.stop()
        from django.db import connections

        connections.close_all()
        redis.kill()
        pg.stop("fast")
        log("private instances stopped")
    ok = write_report(report, ROOT / "bench" / "results")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

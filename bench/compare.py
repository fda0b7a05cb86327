"""Before and after, in one run: two checkouts of Seller Center served side by side on copies of
the same data, each page and job measured alternately, reported as after ÷ before.

    .venv/bin/python bench/compare.py --before-dir ../before --before-db postgres://…/bench_before \
        --after-dir . --after-db postgres://…/bench_after [--rounds 3] [--duration 5]

Make the two databases from one seeded data set: seed with the *before* checkout
(`manage.py seed_bench`), copy it (`createdb -T bench_before bench_after`), migrate the copy with
the *after* checkout. Each side runs on its own Redis database, with the production profile and
gunicorn as `make bench` does; pages are driven with wrk, alternating which side goes first each
round. Jobs (the inactivity sweep, CSV import, data export, storefront checkout) run through each
side's own bench module, once per side and round (`--job-rounds`, `--jobs sweep,export`).

Each figure's after ÷ before is the median of the rounds' own ratios, the two sides of a round
measured back to back: on a shared machine another process or the CPU's clock moves both sides
of a round alike, where a ratio of two medians taken minutes apart would carry that drift.
Many short rounds (`--rounds 9 --duration 3`) pair better than a few long ones.

Both layouts are understood: bench code in `bench/` (now) or in `sellercenter/bench_*` (before the
bench left the product).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

LUA = """
done = function(summary, latency, requests)
  io.write(string.format('BENCHJSON {"requests": %d, "duration_us": %d, "non2xx": %d, "p95": %d}\\n',
    summary.requests, summary.duration, summary.errors.status, latency:percentile(95)))
end
"""
BIG, SMALL = "bench-big", "bench-small"
PAGES = [
    ("Signed-in trivial view", "/shops/{s}/_bench/trivial/"),
    ("Home", "/shops/{s}/"),
    ("Product list", "/shops/{s}/products/"),
    ("Order list", "/shops/{s}/orders/"),
    ("Order detail", "/shops/{s}/orders/{o}/"),
    ("Analytics (sales)", "/shops/{s}/analytics/"),
    ("Returns", "/shops/{s}/returns/"),
    ("Finance", "/shops/{s}/finance/"),
]


class Side:
    def __init__(self, label: str, root: str, db: str, redis_db: int, port: int):
        self.label, self.root, self.port = label, Path(root).resolve(), port
        new = (self.root / "bench" / "backend.py").exists()
        self.backend = "bench.backend" if new else "sellercenter.bench_backend"
        self.command = (
            "bench.management.commands.bench" if new else "sellercenter.management.commands.bench"
        )
        self.env = {
            **os.environ,
            "DATABASE_URL": db,
            "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
            "SECRET_KEY": "bench-compare-key-not-for-deployment-0123456789abcdef",
            "FIELD_ENCRYPTION_KEY": "bench-only-field-key",
            "DJANGO_SETTINGS_MODULE": "bench.settings" if new else "sellercenter.settings",
            "SELLERCENTER_BENCH": "1",  # the old layout's switch for its bench views
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
        }
        self.server_env = {
            **self.env,
            "SELLERCENTER_ENV": "production",
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "CONN_MAX_AGE": "600",
        }
        self.url = f"http://127.0.0.1:{port}"

    def python(self, code: str, server: bool = False) -> dict:
        """Run ``code`` in this side's Django; it prints one line ``RESULT <json>``."""
        out = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        found = re.search(r"^RESULT (.*)$", out.stdout, re.MULTILINE)
        if not found:
            sys.exit(
                f"{self.label}: {code[:60]}… failed:\n{out.stdout[-2000:]}{out.stderr[-4000:]}"
            )
        return json.loads(found.group(1))

    def start(self, workers: int) -> None:
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=self.root,
            env=self.server_env,
            check=True,
        )
        cmd = [sys.executable, "-m", "gunicorn", "sellercenter.wsgi:application",
               "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
               "--log-level", "warning"]  # fmt: skip
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=self.server_env)  # noqa: S603
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{self.url}/boot-probe/", timeout=5)  # noqa: S310
            except urllib.error.HTTPError:
                return  # a worker answered (404 is an answer)
            except OSError:
                time.sleep(0.2)
            else:
                return
        sys.exit(f"{self.label}: gunicorn did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def wrk(url: str, cookie: str, duration: int, concurrency: int, script: Path) -> dict:
    headers = ["-H", f"Cookie: {cookie}"]
    subprocess.run(["wrk", "-t2", f"-c{concurrency}", "-d2s", *headers, url],  # noqa: S603,S607
                   capture_output=True, check=False)  # fmt: skip
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{concurrency}", f"-d{duration}s", "--timeout", "10s",  # noqa: S607
         "-s", str(script), *headers, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    data = json.loads(re.search(r"BENCHJSON (\{.*\})", out).group(1))
    if data["non2xx"] or not data["requests"]:
        sys.exit(
            f"{url}: {data['non2xx']} non-2xx of {data['requests']}: figures would mean nothing"
        )
    return {
        "rps": data["requests"] / (data["duration_us"] / 1e6),
        "p95_ms": data["p95"] / 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before-dir", required=True)
    parser.add_argument("--before-db", required=True)
    parser.add_argument("--after-dir", default=".")
    parser.add_argument("--after-db", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--sweep-shops", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--no-jobs", action="store_true")
    parser.add_argument("--jobs", default=",".join(JOBS), help="which jobs, comma-separated")
    parser.add_argument("--job-rounds", type=int, default=1)
    parser.add_argument("--no-pages", action="store_true", help="the jobs alone")
    parser.add_argument("--out", default="bench/results/compare.md")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    sides = [
        Side("before", args.before_dir, args.before_db, 10, 8201),
        Side("after", args.after_dir, args.after_db, 8, 8202),
    ]
    ids = sides[1].python(
        "from django_scopes import scopes_disabled; from orders.models import Order\n"
        "with scopes_disabled(): o = Order.objects.filter(shop__slug='bench-big')"
        ".order_by('-placed_at').values_list('pk', flat=True).first()\n"
        "print('RESULT', o)"
    )
    cookies = {}
    for side in sides:
        cookies[side.label] = "sessionid=" + side.python(
            f"from {side.command} import verified_client\n"
            "print('RESULT', '\"' + verified_client().cookies['sessionid'].value + '\"')"
        )
    script = Path(args.after_dir) / "var" / "compare.lua"
    script.parent.mkdir(exist_ok=True)
    script.write_text(LUA)
    pages = [] if args.no_pages else PAGES
    runs: dict = {label: {s.label: [] for s in sides} for label, _ in pages}
    for side in sides:
        side.start(args.workers)
    try:
        for rnd in range(args.rounds):
            for label, path in pages:
                order = sides if rnd % 2 == 0 else sides[::-1]
                for side in order:
                    url = side.url + path.format(s=BIG, o=ids)
                    run = wrk(url, cookies[side.label], args.duration, args.concurrency, script)
                    runs[label][side.label].append(run)
                    print(
                        f"round {rnd + 1} {label} {side.label}: {run['rps']:.1f} req/s", flush=True
                    )
        jobs = {} if args.no_jobs else run_jobs(sides, args)
    finally:
        for side in sides:
            side.stop()
    report(runs, jobs, args)


JOBS = {
    # name: (code printing ``RESULT <json>`` through the side's bench module, key, higher is better)
    "checkout": (
        "Storefront checkout (orders/s, higher is better)",
        "from pathlib import Path; from {b} import bench_checkout\n"
        "r = bench_checkout('{url}', {duration}, {concurrency}, Path('.'), print)",
        "orders_per_s",
        True,
    ),
    "sweep": (
        "Inactivity sweep, one day (s)",
        "from {b} import bench_sweep\nr = bench_sweep({sweep_shops}, print)",
        "sweep_s",
        False,
    ),
    "import": (
        "CSV import, new rows (s)",
        "from {b} import bench_import\nr = bench_import({import_rows}, print)",
        "create_s",
        False,
    ),
    "export": (
        "Full data export of the big shop (s)",
        "from {b} import bench_export\nr = bench_export('" + BIG + "', print)",
        "seconds",
        False,
    ),
}


def run_jobs(sides: list[Side], args) -> dict:
    """Each job once per side and round, through that side's bench module (same data, same
    machine), alternating which side goes first. The import also gives the re-import."""
    jobs: dict = {}
    for rnd in range(args.job_rounds):
        for job in args.jobs.split(","):
            title, code, key, higher = JOBS[job]
            for side in sides if rnd % 2 == 0 else sides[::-1]:
                # The checkout job reads its settings from the environment of the side serving it.
                source = code.format(
                    b=side.backend,
                    url=side.url,
                    duration=args.duration,
                    concurrency=args.concurrency,
                    sweep_shops=args.sweep_shops,
                    import_rows=args.import_rows,
                )
                result = side.python(
                    f"import json\n{source}\nprint('RESULT', json.dumps(r, default=str))"
                )
                runs = jobs.setdefault(title, {"higher": higher, "before": [], "after": []})
                runs[side.label].append(result[key])
                print(f"job round {rnd + 1} {title} {side.label}: {result[key]}", flush=True)
                if job == "import":
                    again = jobs.setdefault(
                        "CSV re-import, every row changed (s)",
                        {"higher": False, "before": [], "after": []},
                    )
                    again[side.label].append(result["update_s"])
    return jobs


def paired_ratios(before: list, after: list, *, key: str | None, higher: bool) -> list[float]:
    """after ÷ before (as fast, so > 1 is better) for each round, the two sides of a round
    measured back to back."""
    pairs = zip(before, after, strict=True)
    values = [(b[key], a[key]) if key else (b, a) for b, a in pairs]
    return [(a / b) if higher else (b / a) for b, a in values]


def report(runs: dict, jobs: dict, args) -> None:
    lines = [
        f"# Before ÷ after, one run ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        "",
        f"{args.rounds} rounds × {args.duration} s per page and side, wrk at concurrency "
        f"{args.concurrency}, gunicorn {args.workers} workers each, production profile; "
        "req/s and p95 are each side's median round; after ÷ before is the median of the rounds' "
        "own ratios (range in brackets). Before: `"
        + args.before_dir
        + "`; after: `"
        + args.after_dir
        + "`.",
        "",
        "| page | before req/s | after req/s | after ÷ before (range) | before p95 ms "
        "| after p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, by_side in runs.items():
        b = statistics.median(r["rps"] for r in by_side["before"])
        a = statistics.median(r["rps"] for r in by_side["after"])
        bp = statistics.median(r["p95_ms"] for r in by_side["before"])
        ap = statistics.median(r["p95_ms"] for r in by_side["after"])
        # Each round's two sides ran back to back: their ratio cancels the machine's drift
        # (another process, the CPU's clock) better than a ratio of the two medians.
        ratios = paired_ratios(by_side["before"], by_side["after"], key="rps", higher=True)
        spread = f"{min(ratios):.2f}–{max(ratios):.2f}"
        lines.append(
            f"| {label} | {b:.1f} | {a:.1f} | **{statistics.median(ratios):.2f}×** ({spread}) "
            f"| {bp:.0f} | {ap:.0f} |"
        )
    if jobs:
        lines += [
            "",
            "| job | before (each round) | after (each round) | after vs before (range) |",
            "| --- | ---: | ---: | ---: |",
        ]
        for name, runs in jobs.items():
            ratios = paired_ratios(runs["before"], runs["after"], key=None, higher=runs["higher"])
            before = " · ".join(str(v) for v in runs["before"])
            after = " · ".join(str(v) for v in runs["after"])
            lines.append(
                f"| {name} | {before} | {after} | **{statistics.median(ratios):.2f}× as fast** "
                f"({min(ratios):.2f}–{max(ratios):.2f}) |"
            )
    text = "\n".join(lines) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text)
    print("\n" + text)


if __name__ == "__main__":
    main()

"""`make bench`: page throughput and latency as ratios measured in one run, on PostgreSQL + Redis.

Serves the app with gunicorn (production profile, DEBUG off, persistent connections) and the
bare view with a no-middleware settings module, drives each URL with wrk at fixed concurrency,
counts each page's SQL queries in-process, and writes bench/results/bench-<stamp>.{md,json}.
"""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from bench import backend as bench_backend
from bench import flash as bench_flash
from bench import report as bench_report
from bench.management.commands.seed_bench import BENCH_EMAIL, BENCH_PASSWORD, BIG, SMALL
from bench.signin import bench_signin
from orders.models import Order

LUA = """
done = function(summary, latency, requests)
  io.write(string.format('BENCHJSON {"requests": %d, "duration_us": %d, "non2xx": %d, "errors": %d, "p50": %d, "p95": %d, "p99": %d}\\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""
ROOT = Path(settings.BASE_DIR)


class Command(BaseCommand):
    help = "Measure pages against their reference views and the bare view; write bench/results/."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
        parser.add_argument("--concurrency", type=int, default=16)
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument(
            "--seed-args", default="", help="extra arguments for seed_bench, e.g. '--shops 100'"
        )
        parser.add_argument(
            "--quick",
            action="store_true",
            help="a reduced run in a few minutes: 3 s per URL, a smaller data set "
            "(on its own database: BENCH_DB), 100,000 sweep shops",
        )
        parser.add_argument("--sweep-shops", type=int, default=None, help="default 1,000,000")
        parser.add_argument("--import-rows", type=int, default=10_000)
        parser.add_argument(
            "--checkout-only",
            action="store_true",
            help="only the checkout figures: reference, c=16 on varied SKUs, the LIVE flash sale",
        )
        parser.add_argument(
            "--checkout-rounds",
            type=int,
            default=5,
            help="paired rounds of reference and storefront checkout (each --duration s a side)",
        )

    def handle(self, *args, duration, concurrency, workers, seed_args, **options):
        quick = options["quick"]
        sweep_shops = options["sweep_shops"] or (100_000 if quick else 1_000_000)
        if quick:
            duration = min(duration, 3)
            seed_args = seed_args or (
                "--shops 1000 --products 100000 --orders 200000 "
                "--big-products 20000 --big-orders 50000"
            )
        if connection.vendor != "postgresql":
            raise CommandError(
                "make bench runs on PostgreSQL: set DATABASE_URL (the Makefile does)."
            )
        if not shutil.which("wrk"):
            raise CommandError("wrk is not installed: apt-get install wrk")
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        if options["checkout_only"]:
            return self._checkout_only(duration, workers, options["checkout_rounds"])
        call_command("seed_bench", *seed_args.split())
        cookie = self._session_cookie()
        with scopes_disabled():
            order_id = (
                Order.objects.filter(shop__slug=BIG)
                .order_by("-placed_at")
                .values_list("pk", flat=True)
                .first()
            )
            small_order = (
                Order.objects.filter(shop__slug=SMALL)
                .order_by("-placed_at")
                .values_list("pk", flat=True)
                .first()
            )
        pages = [
            # (label, path for the big shop, reference path, path for the 100-product shop)
            ("Home", "/shops/{s}/", "/shops/{s}/_bench/ref/home/"),
            ("Product list", "/shops/{s}/products/", "/shops/{s}/_bench/ref/products/"),
            ("Order list", "/shops/{s}/orders/", "/shops/{s}/_bench/ref/orders/"),
            ("Order detail", "/shops/{s}/orders/{o}/", "/shops/{s}/_bench/ref/orders/{o}/"),
            ("Analytics (sales)", "/shops/{s}/analytics/", "/shops/{s}/_bench/ref/home/"),
        ]
        env = self._server_env()
        _collectstatic(env)
        results: dict = {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": _machine(),
            "concurrency": concurrency,
            "duration_s": duration,
            "rows": [],
        }
        with (
            _server(env, "bench.settings", 8101, workers) as app,
            _server(env, "bench.bare_settings", 8102, workers) as bare,
        ):
            bare_run = self._wrk(f"{bare}/bare/", "", duration, concurrency)
            trivial = self._wrk(f"{app}/shops/{BIG}/_bench/trivial/", cookie, duration, concurrency)
            results["bare"], results["trivial"] = bare_run, trivial
            for label, path, ref in pages:
                big_path = path.format(s=BIG, o=order_id)
                page = self._wrk(app + big_path, cookie, duration, concurrency)
                reference = self._wrk(
                    app + ref.format(s=BIG, o=order_id), cookie, duration, concurrency
                )
                small = self._wrk(
                    app + path.format(s=SMALL, o=small_order), cookie, duration, concurrency
                )
                results["rows"].append(
                    {
                        "page": label,
                        "path": big_path,
                        "page_run": page,
                        "reference_run": reference,
                        "small_shop_run": small,
                        "queries": self._queries(big_path),
                        "queries_small_shop": self._queries(path.format(s=SMALL, o=small_order)),
                    }
                )
            # The order-list API endpoint beside the order-list page, in the same run: the page
            # run above is its reference, the small shop its own endpoint.
            tokens = {slug: _api_token(slug) for slug in (BIG, SMALL)}
            api_path = "/api/v1/orders?status=to_ship"
            page_run = next(r for r in results["rows"] if r["page"] == "Order list")["page_run"]
            results["rows"].append(
                {
                    "page": "Order list API (vs the page)",
                    "path": api_path,
                    "page_run": self._wrk(app + api_path, "", duration, concurrency,
                                          header=_bearer(tokens[BIG])),
                    "reference_run": page_run,
                    "small_shop_run": self._wrk(app + api_path, "", duration, concurrency,
                                                header=_bearer(tokens[SMALL])),
                    "queries": self._queries(api_path, header=_bearer(tokens[BIG])),
                    "queries_small_shop": self._queries(api_path, header=_bearer(tokens[SMALL])),
                }
            )  # fmt: skip
            self.stdout.write("Storefront checkout throughput…")
            results["checkout"] = bench_backend.bench_checkout(
                app, max(duration, 5), concurrency, ROOT, self.stdout.write
            )
            self.stdout.write("Checkout against its reference, and a LIVE flash sale…")
            _, skus = bench_backend._store()
            results["live_checkout"] = bench_flash.run(
                app,
                bench_backend.STORE,
                skus,
                duration=max(duration, 5),
                rounds=options["checkout_rounds"],
                out=self.stdout.write,
            )
        self.stdout.write("Inactivity sweep, CSV import, data export…")
        results["quick"] = quick
        results["sweep"] = bench_backend.bench_sweep(sweep_shops, self.stdout.write)
        results["csv_import"] = bench_backend.bench_import(
            options["import_rows"], self.stdout.write
        )
        results["export"] = bench_backend.bench_export(BIG, self.stdout.write)
        results["signin"] = bench_signin(BENCH_EMAIL, BENCH_PASSWORD, self.stdout.write)
        self._write(results)

    def _checkout_only(self, duration: int, workers: int, rounds: int) -> None:
        _, skus = bench_backend._store()
        env = self._server_env()
        _collectstatic(env)  # the production profile's pages name files by their manifest
        with _server(env, "bench.settings", 8101, workers) as app:
            figures = bench_flash.run(
                app,
                bench_backend.STORE,
                skus,
                duration=max(duration, 5),
                rounds=rounds,
                out=self.stdout.write,
            )
        figures["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        figures["machine"] = _machine()
        report = "\n".join(bench_report.flash_lines(figures)) + "\n"
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / "checkout-latest.json").write_text(json.dumps(figures, indent=2))
        (out / "checkout-latest.md").write_text(report)
        self.stdout.write("\n" + report)

    # --- helpers --------------------------------------------------------------------------------
    def _session_cookie(self) -> str:
        return f"sessionid={verified_client().cookies['sessionid'].value}"

    def _server_env(self) -> dict:
        env = dict(os.environ)
        env.update(
            SELLERCENTER_ENV="production",
            DEBUG="0",
            # The same key as this process, so the session cookie made here is valid there.
            SECRET_KEY=settings.SECRET_KEY,
            FIELD_ENCRYPTION_KEY=env.get("FIELD_ENCRYPTION_KEY") or "bench-only-field-key",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="0",
            CONN_MAX_AGE="600",
            DJANGO_SETTINGS_MODULE="bench.settings",
            LOG_LEVEL="WARNING",
        )
        return env

    def _queries(self, path: str, header: str = "") -> int:
        """Queries of the page as the measured requests run it: the second request of a signed-in
        client (the first also fills the session's identity and the shop's cached figures, as
        any first visit does, so its count depends on what the cache held)."""
        client = verified_client() if not header else Client()
        name, _, value = header.partition(": ")
        client.get(path, headers={name: value} if header else None)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, headers={name: value} if header else None)
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}")
        return len(ctx.captured_queries)

    def _wrk(
        self, url: str, cookie: str, duration: int, concurrency: int, header: str = ""
    ) -> dict:
        script = ROOT / "var" / "bench.lua"
        script.parent.mkdir(exist_ok=True)
        script.write_text(LUA)
        headers = ["-H", f"Cookie: {cookie}"] if cookie else []
        headers += ["-H", header] if header else []
        warm = ["wrk", "-t2", f"-c{concurrency}", "-d2s", *headers, url]
        subprocess.run(warm, capture_output=True, check=False)  # noqa: S603
        # --timeout: on a loaded machine a slow response is a figure, not a socket error.
        cmd = ["wrk", "-t2", f"-c{concurrency}", f"-d{duration}s", "--timeout", "10s", "-s",
               str(script), *headers, url]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout  # noqa: S603
        data = json.loads(re.search(r"BENCHJSON (\{.*\})", out).group(1))
        seconds = data["duration_us"] / 1e6
        if not data["requests"]:
            raise CommandError(
                f"{url}: no request completed in {duration} s (is the machine busy?)."
            )
        run = {
            "url": url,
            "rps": round(data["requests"] / seconds, 1),
            "p50_ms": round(data["p50"] / 1000, 1),
            "p95_ms": round(data["p95"] / 1000, 1),
            "p99_ms": round(data["p99"] / 1000, 1),
            "non_2xx": data["non2xx"],
            "errors": data["errors"],
        }
        self.stdout.write(
            f"  {url}: {run['rps']} req/s, p95 {run['p95_ms']} ms, non-2xx {run['non_2xx']}"
        )
        # gunicorn's sync workers close every connection, so wrk sees an occasional reset.
        if run["non_2xx"] or run["errors"] > data["requests"] / 100:
            raise CommandError(
                f"{url}: {run['non_2xx']} non-2xx and {run['errors']} socket errors; the figures would mean nothing."
            )
        return run

    def _write(self, results: dict) -> None:
        self.stdout.write("\n" + bench_report.write(results, ROOT / "bench" / "results"))


def _api_token(slug: str) -> str:
    """A private app of the bench seller's shop that may read orders (a new one each run)."""
    from django_scopes import scope

    from openplatform.services import private_app_create
    from shops.models import Shop

    with scopes_disabled():
        shop = Shop.objects.get(slug=slug)
    with scope(shop=shop):
        return private_app_create(
            shop=shop, actor=_bench_user(), name="bench", scopes=["orders:read"]
        ).token


def _bearer(token: str) -> str:
    return f"Authorization: Bearer {token}"


def _bench_user():
    from accounts.models import User

    return User.objects.get(email=BENCH_EMAIL)


def verified_client() -> Client:
    """A client signed in as the bench seller the way an owner really is: two-step enrolled and
    the session verified by the authenticator (so every page pays for the device check)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.models import AuthenticatorDevice

    user = _bench_user()
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = AuthenticatorDevice(user=user, name="Authenticator app", confirmed=True)
        device.set_key(AuthenticatorDevice.new_key())
        device.save()
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _machine() -> str:
    return f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, {sys.platform}"


def _answers(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/bench-boot-probe/")
        conn.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        conn.close()


class _server:
    """gunicorn in the background for the duration of a with-block."""

    def __init__(self, env: dict, settings_module: str, port: int, workers: int):
        self.env = {**env, "DJANGO_SETTINGS_MODULE": settings_module}
        self.port, self.workers = port, workers

    def __enter__(self) -> str:
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "sellercenter.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--log-level",
            "warning",
        ]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env)  # noqa: S603
        for _ in range(300):
            if _answers(self.port):  # a worker has booted, not just the arbiter's socket
                return f"http://127.0.0.1:{self.port}"
            time.sleep(0.2)
        self.proc.kill()
        raise CommandError(f"gunicorn did not start on port {self.port}")

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _collectstatic(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )  # noqa: S603

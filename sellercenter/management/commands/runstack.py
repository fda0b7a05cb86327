"""Serve the app together with a Celery worker and Celery beat (what ``make run`` starts).

Stops all three when any one exits or on Ctrl-C.
"""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and Celery beat together."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr: str, **options):
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "sellercenter",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "-n",
                "worker@%h",
            ],
            "beat": [python, "-m", "celery", "-A", "sellercenter", "beat", "--loglevel=INFO"],
        }
        procs = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603 — our own interpreter
        self.stdout.write(
            self.style.SUCCESS(
                f"Seller Center on http://{addr}/ with a Celery worker and beat. Ctrl-C stops all three."
            )
        )

        def stop(*_):
            for proc in procs.values():
                if proc.poll() is None:
                    proc.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(proc.poll() is None for proc in procs.values()):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for proc in procs.values():
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()

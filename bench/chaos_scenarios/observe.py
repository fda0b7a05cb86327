"""What the scenarios observe: the emails written, the queue, the sweep runs."""

import time
from collections import Counter
from datetime import date
from email.parser import HeaderParser
from pathlib import Path

import redis as redis_lib
from django.conf import settings
from django.db import close_old_connections
from django.db.models import Count
from django_scopes import scopes_disabled

from bench.chaos_scenarios.oracle import EXPECTED_NOTICES, ORACLE, OWNER_EMAIL, log
from lifecycle.models import InactivityNotice, SweepRun


def read_emails(folder: Path) -> Counter:
    """(recipient, subject, Message-ID) → how many times the file-based backend wrote it."""
    seen: Counter = Counter()
    if not folder.exists():
        return seen
    parser = HeaderParser()
    for path in folder.iterdir():
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if "Subject:" not in chunk:
                continue
            headers = parser.parsestr(chunk.lstrip("\n"))
            subject = " ".join(str(headers.get("Subject", "")).split())
            seen[(headers.get("To", ""), subject, headers.get("Message-ID", ""))] += 1
    return seen


def email_check(folder: Path) -> dict:
    emails = read_emails(folder)
    owners = set(OWNER_EMAIL.values())
    copies = Counter({k: v for k, v in emails.items() if k[0] in owners})  # per message
    # One notice = one (recipient, subject); two *different* messages for it is an email sent
    # twice. The same message (same Message-ID) written again is a re-send after a worker was
    # killed between the mail server accepting it and the stamp: at least once.
    inactivity = Counter((to, subject) for to, subject, _mid in copies)
    per_owner = Counter(to for to, _subject in inactivity)
    with scopes_disabled():
        notices = InactivityNotice.objects.filter(shop_id__in=ORACLE).count()
        unsent = InactivityNotice.objects.filter(emailed_at__isnull=True).count()
    missing = sum(
        max(0, EXPECTED_NOTICES[sid] - per_owner[email]) for sid, email in OWNER_EMAIL.items()
    )
    return {
        "notices_expected": sum(EXPECTED_NOTICES.values()),
        "notices_in_db": notices,
        "notices_unsent_in_db": unsent,
        "emails_written": sum(copies.values()),
        "emails_distinct": len(inactivity),
        "emails_twice": sum(c - 1 for c in inactivity.values() if c > 1),
        "resent_same_message": sum(c - 1 for c in copies.values() if c > 1),
        "emails_missing": missing,
    }


def emailed_count() -> int:
    close_old_connections()
    with scopes_disabled():
        return InactivityNotice.objects.filter(emailed_at__isnull=False).count()


def queue_length() -> int:
    return redis_lib.Redis.from_url(settings.CELERY_BROKER_URL).llen("celery")


def wait_drained(timeout: float = 300, quiet: float = 4.0) -> None:
    """Until the broker queue is empty and no notice was emailed for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    last, last_change = -1, time.monotonic()
    while time.monotonic() < deadline:
        now_count = emailed_count()
        if now_count != last:
            last, last_change = now_count, time.monotonic()
        if queue_length() == 0 and time.monotonic() - last_change >= quiet:
            return
        time.sleep(0.5)
    log("warning: the queue did not drain in time")


def wait_runs(day: date, n: int, timeout: float = 300) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        close_old_connections()
        runs = list(
            SweepRun.objects.filter(run_date=day)
            .exclude(status=SweepRun.Status.RUNNING)
            .order_by("id")
            .values()
        )
        if len(runs) >= n:
            return runs
        time.sleep(0.2)
    raise RuntimeError(f"{n} sweep run(s) for {day} did not finish in {timeout} s")


def notices_by_stage(day: date) -> Counter:
    """Stage → how many inactivity notices the sweep wrote for ``day``."""
    with scopes_disabled():
        return Counter(
            dict(
                InactivityNotice.objects.filter(on_date=day)
                .values_list("stage")
                .annotate(n=Count("id"))
            )
        )

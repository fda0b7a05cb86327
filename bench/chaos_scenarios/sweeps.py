"""Scenarios a and b: SIGKILL the worker during a sweep; two beats over three days."""

import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django_scopes import scopes_disabled

from bench.chaos_scenarios.observe import (
    email_check,
    emailed_count,
    notices_by_stage,
    wait_drained,
    wait_runs,
)
from bench.chaos_scenarios.oracle import ORACLE, log, oracle_day, seed_sweep_shops, stage_mismatches
from common.clock import local_date
from lifecycle.models import InactivityNotice, SweepRun
from lifecycle.tasks import send_inactivity_notices_task, sweep_inactivity_task

# --- a. SIGKILL the worker during a sweep -------------------------------------------------------


def worker_kills(worker, mail_dir, n_shops: int) -> dict:
    rng = random.Random(2026)
    day0 = local_date() - timedelta(days=10)
    log(f"a. seeding {n_shops:,} shops for the sweep of {day0}")
    mix = seed_sweep_shops(n_shops, day0, rng)
    expected = oracle_day(day0)
    worker.start()
    started = time.monotonic()
    sweep_inactivity_task.delay(day0.isoformat())
    run = wait_runs(day0, 1)[0]
    queued = run["emails_queued"]
    log(f"a. sweep finished in {run['finished_at'] - run['started_at']}; {queued} emails queued")
    kills = []
    for pct in (10, 50, 90):
        target = queued * pct // 100
        # Progress stalls when every chunk left is held by a killed worker (redelivered only
        # after the broker's visibility timeout): kill anyway after 30 s without progress.
        last, last_change, stalled = -1, time.monotonic(), False
        while (count := emailed_count()) < target:
            if count != last:
                last, last_change = count, time.monotonic()
            elif time.monotonic() - last_change > 30:
                stalled = True
                break
            time.sleep(0.02)
        worker.sigkill()
        with scopes_disabled():
            claimed = InactivityNotice.objects.filter(
                emailed_at__isnull=True, email_claimed_at__isnull=False
            ).count()
        sent = emailed_count()
        kills.append(
            {
                "at_pct": pct,
                "emailed_when_killed": sent,
                "claimed_unsent": claimed,
                "stalled": stalled,
            }
        )
        log(f"a. SIGKILL worker at {pct}% ({sent}/{queued} emailed, {claimed} claimed in flight)")
        worker.start()
    wait_drained()
    after_restart = email_check(mail_dir())
    log(f"a. drained after the kills: {after_restart}")
    # Recovery, as in production: a claim older than EMAIL_CLAIM_STALE_AFTER is treated as dead
    # (simulated here by ageing the claims instead of waiting 30 minutes), and the next sweep
    # run queues every unsent notice again.
    from lifecycle.services.inactivity.emails import EMAIL_CLAIM_STALE_AFTER

    with scopes_disabled():
        aged = InactivityNotice.objects.filter(
            emailed_at__isnull=True, email_claimed_at__isnull=False
        ).update(
            email_claimed_at=datetime.now(UTC) - EMAIL_CLAIM_STALE_AFTER - timedelta(minutes=1)
        )
    sweep_inactivity_task.delay(day0.isoformat())
    wait_runs(day0, 2)
    wait_drained()
    # The chunks the killed workers held are redelivered by Redis after the visibility
    # timeout (an hour): replay every chunk now — nothing may be sent again.
    with scopes_disabled():
        ids = list(InactivityNotice.objects.order_by("id").values_list("id", flat=True))
    for i in range(0, len(ids), 200):
        send_inactivity_notices_task.delay(ids[i : i + 200])
    wait_drained()
    final = email_check(mail_dir())
    bad = stage_mismatches()
    got = notices_by_stage(day0)
    result = {
        "shops": n_shops,
        "run_date": day0.isoformat(),
        "seed_mix": dict(mix),
        "stages_expected": dict(expected),
        "stages_reached": dict(got),
        "emails_queued": queued,
        "kills": kills,
        "after_restarts": after_restart,
        "stale_claims_recovered": aged,
        "final": final,
        "stage_mismatches": len(bad),
        "stage_mismatch_examples": bad[:5],
        "seconds": round(time.monotonic() - started, 1),
    }
    result["checks"] = {
        "every shop in the right stage": not bad and dict(got) == dict(expected),
        "no email sent twice (re-sends of the same message only after a kill mid-send)": (
            final["emails_twice"] == 0
            and final["resent_same_message"] <= sum(k["claimed_unsent"] for k in kills)
        ),
        "no email missing": final["emails_missing"] == 0 and final["notices_unsent_in_db"] == 0,
    }
    return result


# --- b. two beats, three days -------------------------------------------------------------------


def two_beats(worker) -> dict:
    if not ORACLE:
        seed_sweep_shops(2000, local_date() - timedelta(days=10), random.Random(7))
    if worker.proc is None or worker.proc.poll() is not None:
        worker.start()
    base = local_date() - timedelta(days=10)
    days = []
    for offset in (1, 2, 3):
        day = base + timedelta(days=offset)
        expected = oracle_day(day)
        # Two beat processes fire at the same instant: two messages for the same day.
        sweep_inactivity_task.apply_async(args=[day.isoformat()])
        sweep_inactivity_task.apply_async(args=[day.isoformat()])
        runs = wait_runs(day, 2)
        wait_drained()
        got = notices_by_stage(day)
        working = [
            r for r in runs
            if r["status"] == SweepRun.Status.FINISHED
            and any(r[f] for f in SweepRun.COUNT_FIELDS.values())
        ]  # fmt: skip
        days.append(
            {
                "day": day.isoformat(),
                "runs": [r["status"] for r in runs],
                "runs_that_did_work": len(working),
                "stages_expected": dict(expected),
                "stages_reached": dict(got),
                "ok": len(working) == 1 and dict(got) == dict(expected),
            }
        )
        log(f"b. {day}: runs {[r['status'] for r in runs]}, notices {dict(got)}")
    emails = email_check(Path(settings.VAR_DIR) / "mail")
    bad = stage_mismatches()
    return {
        "days": days,
        "emails": emails,
        "stage_mismatches": len(bad),
        "checks": {
            "each day swept once": all(d["ok"] for d in days),
            "every shop in the right stage": not bad,
            "no email twice or missing": emails["emails_twice"] == 0
            and emails["emails_missing"] == 0,
        },
    }

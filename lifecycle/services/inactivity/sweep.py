"""The daily inactivity sweep (SPEC §9.2), set-based: its stages, each one claim.

The package docstring (lifecycle/services/inactivity/__init__.py) describes the stages.
"""

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import User
from accounts.sessions import end_sessions_of
from catalog.models import Product
from catalog.services.system import products_system_delist_by_shop
from common.clock import day_start, local_date
from common.policy import POLICY
from common.transitions import UPDATE_BATCH, transition_bulk
from lifecycle.models import InactivityEpisode, InactivityNotice, InactivityStage, SweepRun
from lifecycle.selectors import forget_inactivity_banner
from lifecycle.services.inactivity.emails import EMAIL_CHUNK_SIZE, unsent_notice_ids
from lifecycle.signals import inactivity_stages_reached
from lifecycle.tasks import send_inactivity_notices_task
from shops.models import Shop

logger = logging.getLogger(__name__)
Stage = InactivityStage


_LOCK_NAMESPACE = 920_517  # pg advisory lock class id for "inactivity sweep"; object id = date


class SweepDateError(ValueError):
    """A sweep date that is unparsable or in the future."""


@dataclass
class SweepResult:
    run_date: date
    dry_run: bool
    skipped: bool = False
    run_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)


def parse_sweep_date(value: str) -> date:
    """``YYYY-MM-DD`` → a date that is not in the platform's future, or SweepDateError."""
    try:
        parsed = date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise SweepDateError(f"Unparsable date {value!r}: use YYYY-MM-DD.") from None
    _check_not_future(parsed)
    return parsed


def sweep_inactivity(*, run_date: date, dry_run: bool = False) -> SweepResult:
    """Run the sweep for ``run_date``. A dry run does everything, reports, and rolls back."""
    _check_not_future(run_date)
    result = SweepResult(run_date=run_date, dry_run=dry_run)
    with scopes_disabled():
        run = None if dry_run else SweepRun.objects.create(run_date=run_date)
        with transaction.atomic():
            if not _try_advisory_lock(run_date):
                result.skipped = True
                if run is not None:
                    SweepRun.objects.filter(pk=run.pk).update(
                        status=SweepRun.Status.SKIPPED, finished_at=timezone.now()
                    )
                    result.run_id = run.pk
                logger.warning("Inactivity sweep for %s skipped: another holds its lock", run_date)
                return result
            if run is None:  # a dry run records nothing: its run row rolls back with the rest
                run = SweepRun.objects.create(run_date=run_date)
            result.counts = _sweep(run_date=run_date, run=run)
            inactivity_stages_reached.send(
                sender=SweepRun, run=run, notices=InactivityNotice.objects.filter(sweep_run=run)
            )
            # Every shop this run moved shows its new stage on its next page.
            forget_inactivity_banner(
                InactivityNotice.objects.filter(sweep_run=run).values_list("shop_id", flat=True)
            )
            if dry_run:
                transaction.set_rollback(True)
                return result
            email_ids = unsent_notice_ids()
            result.counts["emails_queued"] = len(email_ids)
            SweepRun.objects.filter(pk=run.pk).update(
                status=SweepRun.Status.FINISHED, finished_at=timezone.now(), **result.counts
            )
            result.run_id = run.pk
            for start in range(0, len(email_ids), EMAIL_CHUNK_SIZE):
                chunk = email_ids[start : start + EMAIL_CHUNK_SIZE]
                send_inactivity_notices_task.delay_on_commit(chunk)
    return result


def inactivity_episodes_close_for_activity(*, shop_ids: list[int], at: datetime) -> int:
    """Any activity stops the countdown: close the open episode. Lifts nothing else."""
    with scopes_disabled():
        return InactivityEpisode.objects.filter(
            shop_id__in=shop_ids, closed_at__isnull=True, started_at__lt=at
        ).update(closed_at=at, closed_reason="activity")


def _sweep(*, run_date: date, run: SweepRun) -> dict[str, int]:
    now = timezone.now()
    counts = {"episodes_closed": 0, "products_delisted": 0}
    open_episodes = InactivityEpisode.objects.filter(closed_at__isnull=True)
    still_inactive = open_episodes.filter(
        shop__status=Shop.Status.ACTIVE, shop__last_activity_at__lte=F("started_at")
    )

    # Safety net: activity the signal did not see (a bulk write) still stops the countdown.
    counts["episodes_closed"] = open_episodes.filter(
        shop__last_activity_at__gt=F("started_at")
    ).update(closed_at=now, closed_reason="activity")

    # 4. Ban — 7 days after the second reminder; a store deposit waives it.
    ban_due = still_inactive.filter(
        stage=Stage.SECOND_REMINDER,
        stage_date__lte=run_date - timedelta(days=POLICY.inactivity_ban_after_reminder_days),
    )
    ban_due.filter(shop__store_deposit_paid=True).update(
        stage=Stage.BAN_WAIVED, stage_date=run_date
    )
    ban_due.filter(shop__store_deposit_paid=False).update(stage=Stage.BANNED, stage_date=run_date)
    counts[Stage.BAN_WAIVED] = _record_stage(run, run_date, now, Stage.BAN_WAIVED)
    counts[Stage.BANNED] = _record_stage(run, run_date, now, Stage.BANNED)
    banned_ids = _shops_reaching(run, Stage.BANNED)
    transition_bulk(
        Shop.objects.filter(pk__in=banned_ids),
        Shop.Status.BANNED,
        history={"actor": None, "reason": f"Banned for inactivity by the sweep of {run_date}"},
    )
    # A ban ends every session of the shop's members (SPEC §4), in one UPDATE.
    end_sessions_of(User.objects.filter(memberships__shop__in=banned_ids))
    # A ban ends the episode (staff may lift it; a new countdown starts from then).
    open_episodes.filter(stage=Stage.BANNED).update(closed_at=now, closed_reason="banned")

    # 3. Second reminder — 90 days inactive (counted from the episode's start: the last
    # activity, or a lifted ban), and not on the day of the delisting.
    still_inactive.filter(
        stage=Stage.DELISTED,
        stage_date__lt=run_date,
        started_at__lt=_start_of_day_inactive(run_date, POLICY.inactivity_second_reminder_days),
    ).update(stage=Stage.SECOND_REMINDER, stage_date=run_date)
    counts[Stage.SECOND_REMINDER] = _record_stage(run, run_date, now, Stage.SECOND_REMINDER)

    # 2. Delist — 7 days after the first reminder: every live product, investigation period.
    still_inactive.filter(
        stage=Stage.FIRST_REMINDER,
        stage_date__lte=run_date - timedelta(days=POLICY.inactivity_delist_after_reminder_days),
    ).update(stage=Stage.DELISTED, stage_date=run_date)
    counts[Stage.DELISTED] = _record_stage(run, run_date, now, Stage.DELISTED)
    delisted_shops = _shops_reaching(run, Stage.DELISTED)
    per_shop = products_system_delist_by_shop(
        shop_ids=delisted_shops, delisted_by=Product.DelistedBy.INACTIVITY
    )
    counts["products_delisted"] = per_shop.total()
    _note_products_delisted(run, per_shop)
    Shop.objects.filter(pk__in=delisted_shops).update(in_investigation=True)

    # 1. First reminder — 60 days inactive, no open episode: the episode opens (the claim is
    # the partial unique index "one open episode per shop"). The days count from
    # Shop.inactive_since: the last activity, or the lift of a ban when that came later.
    _open_episodes(
        run_date, now, _start_of_day_inactive(run_date, POLICY.inactivity_first_reminder_days)
    )
    counts[Stage.FIRST_REMINDER] = _record_stage(run, run_date, now, Stage.FIRST_REMINDER)
    return {SweepRun.COUNT_FIELDS.get(k, k): v for k, v in counts.items()}


def _note_products_delisted(run: SweepRun, per_shop: Counter[int]) -> None:
    """Each delisting notice of this run learns how many products it took offline (one UPDATE
    per distinct count), so its email says what actually happened."""
    by_count: dict[int, list[int]] = {}
    for shop_id, count in per_shop.items():
        by_count.setdefault(count, []).append(shop_id)
    notices = InactivityNotice.objects.filter(sweep_run=run, stage=Stage.DELISTED)
    for count, shop_ids in by_count.items():
        for start in range(0, len(shop_ids), UPDATE_BATCH):
            notices.filter(shop_id__in=shop_ids[start : start + UPDATE_BATCH]).update(
                products_delisted=count
            )


def _start_of_day_inactive(run_date: date, days: int) -> datetime:
    """Last activity before this instant ⇔ at least ``days`` calendar days inactive on run_date."""
    return day_start(run_date - timedelta(days=days - 1))


def _open_episodes(run_date: date, now: datetime, inactive_before: datetime) -> int:
    episode, shop = _table(InactivityEpisode), _table(Shop)
    ops = connection.ops
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The anti-join reads the table this statement fills: a nested loop (chosen when
            # the table looks empty, e.g. the first run) would rescan the growing table per shop.
            cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(
            f"""
            INSERT INTO {episode} (shop_id, started_at, opened_on, stage, stage_date,
                                   closed_reason)
            SELECT s.id,
                   CASE WHEN s.ban_lifted_at > s.last_activity_at THEN s.ban_lifted_at
                        ELSE s.last_activity_at END,
                   %s, %s, %s, ''
            FROM {shop} s
            WHERE s.status = %s AND s.last_activity_at < %s
              AND (s.ban_lifted_at IS NULL OR s.ban_lifted_at < %s)
              AND NOT EXISTS (SELECT 1 FROM {episode} e
                              WHERE e.shop_id = s.id AND e.closed_at IS NULL)
            ON CONFLICT DO NOTHING
            """,  # noqa: S608 — table names come from model metadata, values are parameters
            [
                ops.adapt_datefield_value(run_date),
                Stage.FIRST_REMINDER.value,
                ops.adapt_datefield_value(run_date),
                Shop.Status.ACTIVE.value,
                ops.adapt_datetimefield_value(inactive_before),
                ops.adapt_datetimefield_value(inactive_before),
            ],
        )
        inserted = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_nestloop = on")
        return inserted


def _record_stage(run: SweepRun, run_date: date, now: datetime, stage: str) -> int:
    """Notices (the once-only keys) and audit rows for every episode that reached ``stage``."""
    notice, episode = _table(InactivityNotice), _table(InactivityEpisode)
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {notice} (shop_id, episode_id, stage, on_date, sweep_run_id, created_at,
                                  email_attempts, products_delisted)
            SELECT e.shop_id, e.id, %s, %s, %s, %s, 0, 0
            FROM {episode} e
            WHERE e.closed_at IS NULL AND e.stage = %s AND e.stage_date = %s
            ON CONFLICT DO NOTHING
            """,  # noqa: S608
            [
                stage,
                ops.adapt_datefield_value(run_date),
                run.pk,
                ops.adapt_datetimefield_value(now),
                stage,
                ops.adapt_datefield_value(run_date),
            ],
        )
        inserted = cursor.rowcount
        if inserted:
            _audit_stage(cursor, run, now, stage)
    return inserted


_AUDIT_CHANGES = {
    Stage.FIRST_REMINDER: {"inactivity_stage": [None, Stage.FIRST_REMINDER]},
    Stage.DELISTED: {
        "inactivity_stage": [Stage.FIRST_REMINDER, Stage.DELISTED],
        "live_products": ["live", "delisted"],
        "in_investigation": [False, True],
    },
    Stage.SECOND_REMINDER: {"inactivity_stage": [Stage.DELISTED, Stage.SECOND_REMINDER]},
    Stage.BANNED: {
        "inactivity_stage": [Stage.SECOND_REMINDER, Stage.BANNED],
        "status": [Shop.Status.ACTIVE, Shop.Status.BANNED],
    },
    Stage.BAN_WAIVED: {"inactivity_stage": [Stage.SECOND_REMINDER, Stage.BAN_WAIVED]},
}


def _audit_stage(cursor, run: SweepRun, now: datetime, stage: str) -> None:
    from accounts.audit import SYSTEM
    from accounts.models import AuditEvent

    audit, notice = _table(AuditEvent), _table(InactivityNotice)
    changes = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    cursor.execute(
        f"""
        INSERT INTO {audit} (occurred_at, actor_id, actor_label, action, shop_id, target_type,
                             target_id, target_repr, changes, ip)
        SELECT %s, NULL, %s, %s, n.shop_id, %s, CAST(n.episode_id AS TEXT), %s, {changes}, NULL
        FROM {notice} n
        WHERE n.sweep_run_id = %s AND n.stage = %s
        """,  # noqa: S608
        [
            connection.ops.adapt_datetimefield_value(now),
            SYSTEM,
            f"lifecycle.inactivity.{stage}",
            InactivityEpisode._meta.label,
            f"Inactivity sweep of {run.run_date}",
            json.dumps(_AUDIT_CHANGES[stage]),
            run.pk,
            stage,
        ],
    )


def _shops_reaching(run: SweepRun, stage: str):
    return InactivityNotice.objects.filter(sweep_run=run, stage=stage).values("shop_id")


def _try_advisory_lock(run_date: date) -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite serialises writers already; the lock is for two beats on PostgreSQL
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, run_date.toordinal()]
        )
        return bool(cursor.fetchone()[0])


def _check_not_future(run_date: date) -> None:
    today = local_date()
    if run_date > today:
        raise SweepDateError(
            f"{run_date} is in the future: today is {today} in {settings.PLATFORM_TIME_ZONE}."
        )


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)

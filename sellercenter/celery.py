"""The Celery app, how its tasks are delivered, and the one beat schedule. What depends on the
environment (broker, time zone, eager tests) is in settings (CELERY_*); what runs when is here,
in one dict.

Every entry expires, so a backlog after an outage never runs a job twice (tasks are idempotent
too). Daily jobs run in the platform time zone (CELERY_TIMEZONE).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sellercenter.settings")

MINUTE, HOUR = 60, 3600


def every(schedule: crontab, task: str, *, expires: int) -> dict:
    """A beat entry; ``expires`` (seconds) is required, so a backlog never runs a job twice."""
    return {"task": task, "schedule": schedule, "options": {"expires": expires}}


def daily(hour: int, minute: int) -> crontab:
    return crontab(hour=hour, minute=minute)


BEAT_SCHEDULE = {
    # --- Email (the outbox) ----------------------------------------------------------------------
    # Emails still unsent a few minutes after queueing (lost task, failing server) go again.
    "common-outbox-redeliver": every(
        crontab(minute="*/5"), "common.tasks.redeliver_outbox_emails_task", expires=4 * MINUTE
    ),
    "common-outbox-purge": every(
        daily(4, 30), "common.tasks.purge_outbox_emails_task", expires=6 * HOUR
    ),
    # --- Open Platform: webhook deliveries whose retry time has come (exponential backoff) -------
    "openplatform-webhooks-due": every(
        crontab(minute="*"), "openplatform.tasks.webhooks_due_task", expires=50
    ),
    # Connected Shopify stores: their stock levels pulled into the matching SKUs, hourly.
    "openplatform-inventory-syncs": every(
        crontab(minute=20), "openplatform.tasks.inventory_syncs_due_task", expires=50 * MINUTE
    ),
    # --- Account lifecycle (SPEC §9) -------------------------------------------------------------
    "lifecycle-sweep-inactivity": every(
        daily(2, 0), "lifecycle.tasks.sweep_inactivity_task", expires=6 * HOUR
    ),
    # Data exports past their keep days are removed with their files.
    "lifecycle-expire-exports": every(
        daily(3, 30), "lifecycle.tasks.expire_exports_task", expires=6 * HOUR
    ),
    # Deleted shops' orders and ledger, kept by law, go when the retention period ends.
    "lifecycle-purge-retained-records": every(
        daily(4, 15), "lifecycle.tasks.purge_retained_records_task", expires=6 * HOUR
    ),
    "lifecycle-probation-graduation": every(
        daily(3, 30), "lifecycle.tasks.probation_sweep_task", expires=6 * HOUR
    ),
    "lifecycle-program-eligibility": every(
        crontab(day_of_month=1, hour=4, minute=0),
        "lifecycle.tasks.eligibility_sweep_task",
        expires=12 * HOUR,
    ),
    # --- Onboarding: verified documents about to expire (SPEC §2) --------------------------------
    "shops-document-expiry": every(
        daily(3, 0), "shops.tasks.document_expiry_sweep_task", expires=6 * HOUR
    ),
    # --- Orders (SPEC §6) ------------------------------------------------------------------------
    "orders-accept-unanswered-cancel-requests": every(
        crontab(minute="*/15"),
        "orders.tasks.accept_unanswered_cancel_requests_task",
        expires=14 * MINUTE,
    ),
    "orders-complete-delivered": every(
        daily(3, 0), "orders.tasks.complete_delivered_orders_task", expires=6 * HOUR
    ),
    # Order confirmations whose task was lost (broker restart) are queued again.
    "orders-confirmations-redeliver": every(
        crontab(minute="*/5"),
        "orders.tasks.redeliver_order_confirmations_task",
        expires=4 * MINUTE,
    ),
    # --- LIVE selling (SPEC §10): the owner's reminder before a scheduled session ---------------
    "orders-live-reminders": every(
        crontab(minute="*/5"), "orders.marketing.tasks.live_reminders_task", expires=4 * MINUTE
    ),
    # --- Returns and finance (SPEC §7) -----------------------------------------------------------
    # Warn sellers a day ahead, then auto-approve returns left unanswered.
    "orders-returns-auto-approve": every(
        daily(0, 15), "orders.returns.tasks.returns_auto_approve_task", expires=6 * HOUR
    ),
    # Completed orders' net moves from pending to available after the hold.
    "orders-finance-settle": every(
        crontab(minute=5), "orders.finance.tasks.finance_settle_task", expires=50 * MINUTE
    ),
    # --- Catalog (SPEC §5) -----------------------------------------------------------------------
    "catalog-stock-alert-digest": every(
        daily(7, 0), "catalog.tasks.stock_alert_digest_task", expires=6 * HOUR
    ),
    "catalog-purge-deleted-products": every(
        daily(3, 30), "catalog.tasks.purge_deleted_products_task", expires=6 * HOUR
    ),
    # --- Home figures ----------------------------------------------------------------------------
    "sellercenter-rollup-recent-days": every(
        crontab(minute="*/15"), "sellercenter.tasks.rollup_recent_days", expires=14 * MINUTE
    ),
}

# Every task body starts with no shop scope, also when run eagerly (tests): see shops.tasking.
app = Celery("sellercenter", task_cls="shops.tasking:UnscopedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = BEAT_SCHEDULE
# At-least-once delivery, one task at a time: a task is acknowledged when it has run (a killed
# worker's task runs again — tasks are idempotent), and no worker hoards tasks it is not running.
# Results are never read (JSON is the serializer and the only content accepted, the defaults).
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
)
app.autodiscover_tasks()


def ensure_broker_dirs() -> None:
    """The embedded filesystem broker needs its folders before worker and beat start."""
    from django.conf import settings

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if key in options:
            os.makedirs(options[key], exist_ok=True)

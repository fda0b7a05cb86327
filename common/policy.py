"""The marketplace policy: every SPEC number, typed, in one place.

    from common.policy import POLICY
    POLICY.return_window_days  # 30

Each value is the SPEC default (docs/rules.md). Pages, emails, tasks and API answers read them
from here, never from a literal. Settings holds none of them.

Operators may override from the environment only what a deployment really needs to tune:

    REAUTH_MINUTES   how long a re-authentication stays valid for sensitive actions (default 10)

Everything else is marketplace policy: changing it is a code change reviewed against SPEC.

Tests change a value for one test with ``policy_override`` (a context manager or decorator; the
``override_policy`` fixture in tests/conftest.py is its one-line form).
"""

import contextlib
import dataclasses
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Policy:
    # --- Marketplace (SPEC §2: US at launch) ------------------------------------------------------
    region: str = "US"
    currency: str = "USD"

    # --- Onboarding and verification (SPEC §2) ---------------------------------------------------
    review_target_days: int = 2
    document_max_bytes: int = 10 * MiB
    document_min_image_side_px: int = 600  # both sides, so a document is readable
    document_max_image_pixels: int = 40_000_000  # refused before decoding (decompression bombs)
    document_expiry_notice_days: tuple[int, ...] = (30, 7)  # before a verified document expires
    min_seller_age_years: int = 18
    min_tiktok_followers: int = 1000

    # --- Probation (SPEC §3) ----------------------------------------------------------------------
    probation_daily_order_cap: int = 50
    probation_live_listing_cap: int = 100
    probation_min_delivered_orders: int = 30
    probation_min_sps: Decimal = Decimal("3.0")
    probation_violation_free_days: int = 30

    # --- Program eligibility (SPEC §3, evaluated monthly) -----------------------------------------
    eligibility_min_sps: Decimal = Decimal("4.0")
    eligibility_max_violation_points: int = 12
    eligibility_min_completed_orders: int = 100
    eligibility_completed_orders_window_days: int = 30
    violation_points_window_days: int = 90  # points count towards eligibility this long

    # --- Sign-in and account security (SPEC §4) ---------------------------------------------------
    reauth_window: timedelta = timedelta(minutes=10)  # REAUTH_MINUTES
    second_factor_throttle_factor: int = 1  # django-otp back-off: 1, 2, 4, 8… s per failure
    second_factor_lock_after_failures: int = 20  # consecutive, all devices: hard lock + email
    backup_code_count: int = 10
    email_code_validity: timedelta = timedelta(minutes=10)
    email_code_resend_seconds: int = 60
    # Sent outbox rows (bodies already emptied) are kept this long as a delivery record.
    outbox_sent_keep_days: int = 30

    # --- Catalog and inventory (SPEC §5) ----------------------------------------------------------
    product_min_images: int = 1
    product_max_images: int = 9
    product_image_max_bytes: int = 5 * MiB
    product_image_min_pixels: int = 100  # shortest side
    product_image_max_pixels: int = 40_000_000  # width × height (decompression bombs)
    product_thumbnail_pixels: int = 240
    product_min_description_chars: int = 30
    product_deleted_retention_days: int = 30
    csv_import_max_bytes: int = 20 * MiB
    csv_import_max_rows: int = 50_000
    bulk_sync_max_products: int = 2000  # more than this runs as a task, not in the request

    # --- Orders, fulfillment and shipping (SPEC §6) -----------------------------------------------
    ship_by_business_days: int = 3
    cancel_request_response_hours: int = 24
    platform_shipping_discount_percent: int = 50  # the platform's "discounted shipping" offer
    checkout_max_quantity: int = 99  # units of one SKU in a storefront cart
    # A confirmation still unsent this long after the order is queued again (its task was lost
    # with the broker); orders older than the window are left alone.
    confirmation_redeliver_after_minutes: int = 5
    confirmation_redeliver_window_hours: int = 24

    # --- LIVE selling (SPEC §10) ---------------------------------------------------------------------
    live_max_pinned_products: int = 20
    live_reminder_minutes_before: int = 30  # the owner's reminder email before a scheduled start
    live_max_session_minutes: int = 24 * 60  # a longer expected length is a typo
    live_dashboard_poll_seconds: int = 5  # "refreshes every few seconds"

    # --- Returns, customer service and finance (SPEC §7) ------------------------------------------
    return_window_days: int = 30
    return_response_days: int = 2  # unanswered returns are auto-approved after this
    return_photos_max: int = 5
    return_photo_max_bytes: int = 5 * MiB
    return_photo_max_pixels: int = 40_000_000
    response_rate_guideline: Decimal = Decimal("0.80")
    response_rate_window_days: int = 30
    response_rate_answer_hours: int = 24
    message_max_chars: int = 4000
    buyer_posts_per_hour: int = 30  # per address and shop, on the public buyer pages
    commission_default_rate: Decimal = Decimal("0.0600")  # when no CommissionRate row matches
    settlement_hold_days: int = 7
    withdrawal_min_amount: Decimal = Decimal("10.00")

    # --- Home (SPEC §8) ---------------------------------------------------------------------------
    todo_message_waiting_hours: int = 12  # buyer messages waiting longer go on the to-do list
    # Scan-based figures are computed at most this often per shop and shared (common.figures).
    shop_figure_ttl_seconds: int = 60

    # --- Inactivity (SPEC §9.2: calendar days, platform time zone) --------------------------------
    inactivity_first_reminder_days: int = 60
    inactivity_delist_after_reminder_days: int = 7
    inactivity_second_reminder_days: int = 90
    inactivity_ban_after_reminder_days: int = 7
    investigation_daily_order_cap: int = 10

    # --- Leaving (SPEC §9.3) ----------------------------------------------------------------------
    data_export_keep_days: int = 7  # then the archive and its download links are removed
    deletion_link_valid_hours: int = 24  # the emailed link that confirms a shop's deletion
    # A deleted shop's orders and financial ledger are kept this long (the law's minimum for
    # tax and accounting records), without personal data, then purged by a daily job.
    deleted_shop_records_keep_years: int = 7

    # --- Help & support -----------------------------------------------------------------------
    support_unanswered_flag_hours: int = 24  # flagged in the staff console after this
    support_attachment_max_bytes: int = 10 * MiB
    security_log_page_size: int = 25

    # --- Integrity: signed requests, links and guessing ---------------------------------------
    # A signed webhook (carrier events) is refused when its timestamp is further than this from
    # the platform's clock, either way; its event time may not be further in the future either.
    webhook_timestamp_tolerance_minutes: int = 5
    # A buyer's emailed order link works while the order is open, and this long after the later
    # of the order closing (completed or cancelled) and the link being issued.
    buyer_link_valid_days: int = 90
    # Coupon codes that fail at checkout (unknown, expired, used up…), per window: over either
    # limit, codes are not checked at all until the window ends (no guessing them fast).
    coupon_failures_per_ip: int = 10
    coupon_failures_per_cart: int = 5
    coupon_failure_window_minutes: int = 15

    # --- Derived figures (shown on pages and in notices) ------------------------------------------
    @property
    def inactivity_delist_days(self) -> int:
        """Days without activity after which live products are delisted (67)."""
        return self.inactivity_first_reminder_days + self.inactivity_delist_after_reminder_days

    @property
    def inactivity_ban_days(self) -> int:
        """Days without activity after which the shop is banned (97)."""
        return self.inactivity_second_reminder_days + self.inactivity_ban_after_reminder_days

    @property
    def reauth_minutes(self) -> int:
        return int(self.reauth_window.total_seconds() // 60)


def from_environment(environ=os.environ) -> Policy:
    """SPEC defaults, with the operator-tunable values read from the environment."""
    overrides: dict = {}
    if minutes := environ.get("REAUTH_MINUTES"):
        overrides["reauth_window"] = timedelta(minutes=int(minutes))
    return Policy(**overrides)


POLICY = from_environment()


@contextlib.contextmanager
def policy_override(**changes) -> Iterator[Policy]:
    """Change policy values for the duration of a block (tests): every reader sees them, since
    they all read the one POLICY instance. Unknown names are refused."""
    known = {f.name for f in dataclasses.fields(Policy)}
    unknown = set(changes) - known
    if unknown:
        raise TypeError(f"Not a policy value: {', '.join(sorted(unknown))}")
    saved = {name: getattr(POLICY, name) for name in changes}
    try:
        for name, value in changes.items():
            object.__setattr__(POLICY, name, value)  # the one sanctioned write: tests only
        yield POLICY
    finally:
        for name, value in saved.items():
            object.__setattr__(POLICY, name, value)

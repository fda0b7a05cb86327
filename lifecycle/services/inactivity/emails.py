"""The inactivity notices' emails: claimed one by one, sent in chunks by a Celery task, retried
when a worker died before stamping one sent."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django_scopes import scopes_disabled

from common.clock import local_date
from common.mail import claimable, stable_message_id
from common.policy import POLICY
from lifecycle.models import InactivityNotice, InactivityStage
from shops.models import Membership, Role
from shops.order_caps import investigation_daily_order_cap

EMAIL_CHUNK_SIZE = 200
# An email claimed longer ago than this without being stamped sent is retried (worker died).
EMAIL_CLAIM_STALE_AFTER = timedelta(minutes=30)

Stage = InactivityStage


def inactivity_notices_send(*, notice_ids: list[int]) -> int:
    """Send the emails of these notices, each at most once. Returns how many were sent.

    Each notice is claimed by a conditional UPDATE before sending and stamped after; if sending
    fails the claim is released so the task's retry (or the next sweep) picks it up.
    """
    sent = 0
    with scopes_disabled():
        notices = list(
            InactivityNotice.objects.filter(pk__in=notice_ids, emailed_at__isnull=True)
            .select_related("shop", "episode")
            .order_by("id")
        )
        owners = _owner_emails(shop_ids={n.shop_id for n in notices})
        for notice in notices:
            if not _claim_email(notice.pk):
                continue
            try:
                recipients = owners.get(notice.shop_id, [])
                if recipients:
                    _notice_email(notice, recipients).send()
            except Exception:
                InactivityNotice.objects.filter(pk=notice.pk).update(email_claimed_at=None)
                raise
            InactivityNotice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent


def unsent_notice_ids() -> list[int]:
    return list(
        InactivityNotice.objects.filter(emailed_at__isnull=True)
        .filter(
            claimable("email_claimed_at", now=timezone.now(), stale_after=EMAIL_CLAIM_STALE_AFTER)
        )
        .order_by("id")
        .values_list("id", flat=True)
    )


def _claim_email(notice_id: int) -> bool:
    now = timezone.now()
    return bool(
        InactivityNotice.objects.filter(pk=notice_id, emailed_at__isnull=True)
        .filter(claimable("email_claimed_at", now=now, stale_after=EMAIL_CLAIM_STALE_AFTER))
        .update(email_claimed_at=now, email_attempts=F("email_attempts") + 1)
    )


def _owner_emails(*, shop_ids: set[int]) -> dict[int, list[str]]:
    owners: dict[int, list[str]] = {}
    rows = Membership.objects.filter(shop_id__in=shop_ids, role=Role.OWNER).values_list(
        "shop_id", "user__email"
    )
    for shop_id, email in rows.order_by("user__email"):
        owners.setdefault(shop_id, []).append(email)
    return owners


EMAIL_SUBJECTS = {
    Stage.FIRST_REMINDER: "Your shop {shop} has been inactive: sign in to keep it open",
    Stage.DELISTED: "Your products in {shop} were delisted for inactivity",
    Stage.SECOND_REMINDER: "Final reminder: {shop} will be banned permanently in {days} days",
    Stage.BANNED: "{shop} has been banned permanently for inactivity",
    Stage.BAN_WAIVED: "{shop}: your store deposit kept your shop open; products stay delisted",
}


def _notice_email(notice: InactivityNotice, recipients: list[str]) -> EmailMessage:
    days_after = {
        Stage.FIRST_REMINDER: POLICY.inactivity_delist_after_reminder_days,
        Stage.SECOND_REMINDER: POLICY.inactivity_ban_after_reminder_days,
    }.get(notice.stage)
    context = {
        "notice": notice,
        "shop": notice.shop,
        "stage": notice.stage,
        "days_inactive": (notice.on_date - local_date(notice.episode.started_at)).days,
        "action_in_days": days_after,
        "action_on": notice.on_date + timedelta(days=days_after) if days_after else None,
        "investigation_cap": investigation_daily_order_cap(notice.shop)
        or POLICY.investigation_daily_order_cap,
        "deposit": notice.shop.store_deposit_paid,
        "products_delisted": notice.products_delisted,
    }
    template = EMAIL_SUBJECTS[notice.stage]
    if notice.stage == Stage.DELISTED and not notice.products_delisted:
        # Quiet again after an earlier delisting: nothing was live, so nothing was delisted.
        template = "{shop} is under investigation for inactivity"
    if notice.stage == Stage.SECOND_REMINDER and notice.shop.store_deposit_paid:
        template = "Final reminder: {shop} has been inactive for {inactive} days"
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + template.format(
        shop=notice.shop.name, days=days_after, inactive=POLICY.inactivity_second_reminder_days
    )
    body = render_to_string("lifecycle/email/inactivity_notice.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        to=recipients,
        headers={"Message-ID": stable_message_id("inactivity-notice", notice.pk)},
    )

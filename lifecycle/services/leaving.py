"""Leaving (SPEC §9.3): unlink TikTok, deactivate / reactivate, delete.

Shop status changes go through shops.services.shop_status (the one transition table, history
and audit). The sweep's set-based ban (services.inactivity) is the one other writer.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from accounts import audit
from catalog.models import Product
from catalog.services.system import products_system_delist, products_system_relist
from common.clock import local_date
from common.errors import Refused
from common.mail import email_queue
from common.policy import POLICY
from lifecycle.models import DeletionRequest, InactivityEpisode, ShopLink
from lifecycle.selectors import deletion_preconditions
from lifecycle.tasks import delete_shop_data_task
from shops.models import Shop
from shops.notifications import email_shop_owners
from shops.services.shop_status import shop_set_status

S = Shop.Status


class LifecycleError(Refused):
    """A leaving step refused with a reason the seller can act on; nothing was changed."""


# --- unlink / re-link ------------------------------------------------------------------------


def tiktok_link_lock(*, shop: Shop) -> ShopLink:
    """The shop's link row, locked for the caller's transaction; created (linked) the first time
    the seller unlinks or re-links, which is the only time it is written."""
    ShopLink.objects.get_or_create(shop=shop)
    return ShopLink.objects.select_for_update().get(shop=shop)


def tiktok_unlink(*, shop: Shop, actor, ip: str | None = None) -> ShopLink:
    return _tiktok_link_set(shop, actor, ip, linked=False)


def tiktok_relink(*, shop: Shop, actor, ip: str | None = None) -> ShopLink:
    return _tiktok_link_set(shop, actor, ip, linked=True)


def _tiktok_link_set(shop: Shop, actor, ip: str | None, *, linked: bool) -> ShopLink:
    """Link or unlink, stamping when; refused when the link is already that way."""
    word = "linked" if linked else "unlinked"
    with transaction.atomic():
        link = tiktok_link_lock(shop=shop)
        if link.tiktok_linked == linked:
            raise LifecycleError(f"The TikTok account is already {word}.")
        link.tiktok_linked = linked
        setattr(link, f"{word}_at", timezone.now())
        link.save(update_fields=["tiktok_linked", f"{word}_at"])
        audit.record(
            actor=actor, action="lifecycle.tiktok_" + ("relink" if linked else "unlink"), shop=shop,
            target=link, changes={"tiktok_linked": (not linked, linked)}, ip=ip,
        )  # fmt: skip
    return link


# --- deactivate / reactivate -----------------------------------------------------------------


def shop_deactivate(*, shop: Shop, actor, ip: str | None = None) -> int:
    """Products go offline (delisted by deactivation), the storefront refuses orders."""
    with transaction.atomic():
        _transition(shop, S.DEACTIVATED, actor=actor, ip=ip)
        return products_system_delist(
            shop_ids=[shop.pk], delisted_by=Product.DelistedBy.DEACTIVATION, actor=actor
        )


def shop_reactivate(*, shop: Shop, actor, ip: str | None = None) -> tuple[int, int]:
    """The shop is open again and the products deactivation took offline come back."""
    with transaction.atomic():
        _transition(shop, S.ACTIVE, actor=actor, ip=ip, only_from={S.DEACTIVATED})
        return products_system_relist(
            shop_ids=[shop.pk], delisted_by=Product.DelistedBy.DEACTIVATION, actor=actor
        )


def shop_lift_ban(*, shop: Shop, actor, ip: str | None = None) -> None:
    """Staff lift a ban (admin). A new inactivity episode starts from the lift (SPEC §9.2): the
    countdown runs from now, never from the activity before the ban, and any episode the ban
    froze is closed. Products stay delisted until the seller re-lists. The owners are told."""
    with transaction.atomic(), scope(shop=shop):  # staff act from the admin, outside any scope
        _transition(shop, S.ACTIVE, actor=actor, ip=ip, only_from={S.BANNED})
        now = timezone.now()
        Shop.objects.filter(pk=shop.pk).update(ban_lifted_at=now)
        shop.ban_lifted_at = now
        InactivityEpisode.objects.filter(shop=shop, closed_at__isnull=True).update(
            closed_at=now, closed_reason="ban_lifted"
        )
        first_reminder_on = local_date(now) + timedelta(days=POLICY.inactivity_first_reminder_days)
        email_shop_owners(
            shop=shop,
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}The ban on {shop.name} was lifted",
            body=(
                f"Platform staff lifted the ban on {shop.name}: you can sign in again.\n\n"
                "Products delisted for inactivity stay offline until you press "
                '"Re-list my store" in Seller Center.\n\n'
                "The inactivity countdown starts again today: if nothing happens in the shop, "
                f"the first reminder is sent on {first_reminder_on:%B %-d, %Y} "
                f"({POLICY.inactivity_first_reminder_days} days from now)."
            ),
        )


# --- delete ----------------------------------------------------------------------------------


def shop_deletion_request(*, shop: Shop, actor, confirm_url: str, ip: str | None = None) -> str:
    """Check the preconditions and email a single-use confirmation link valid 24 hours.

    ``confirm_url`` is the absolute confirmation URL without the token; returns the token.
    """
    failing = [p.label for p in deletion_preconditions(shop) if not p.ok]
    if failing:
        raise LifecycleError("The shop cannot be deleted yet: " + "; ".join(failing) + ".")
    if shop.status not in (S.ACTIVE, S.DEACTIVATED, S.PENDING_VERIFICATION):
        raise LifecycleError(f"A {shop.get_status_display().lower()} shop cannot be deleted.")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        DeletionRequest.objects.create(
            shop=shop,
            requested_by=actor,
            token_hash=_hash(token),
            expires_at=timezone.now() + timedelta(hours=POLICY.deletion_link_valid_hours),
        )
        audit.record(actor=actor, action="lifecycle.delete_requested", shop=shop, ip=ip)
        link = f"{confirm_url}?token={token}"
        email_queue(
            to=actor.email,
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Confirm deleting {shop.name}",
            body=f"Someone (hopefully you) asked to delete the shop {shop.name} permanently.\n\n"
            f"To confirm, open this link within {POLICY.deletion_link_valid_hours} hours:\n{link}\n\n"
            "If this was not you, ignore this email and change your password.",
            shop_id=shop.pk,
        )
    return token


def deletion_request_for_token(*, shop: Shop, token: str) -> DeletionRequest:
    """The live request for this token, or LifecycleError (unknown, expired or used)."""
    request = DeletionRequest.objects.filter(shop=shop, token_hash=_hash(token or "")).first()
    if request is None:
        raise LifecycleError("This confirmation link is not valid.")
    if request.used_at is not None:
        raise LifecycleError("This confirmation link has already been used.")
    if request.expires_at <= timezone.now():
        raise LifecycleError("This confirmation link has expired: ask for a new one.")
    return request


def shop_delete_confirm(*, shop: Shop, actor, token: str, ip: str | None = None) -> None:
    """Use the link (once), stop the shop at once, and queue the removal of its data."""
    with transaction.atomic():
        request = deletion_request_for_token(shop=shop, token=token)
        claimed = DeletionRequest.objects.filter(
            pk=request.pk, used_at__isnull=True, expires_at__gt=timezone.now()
        ).update(used_at=timezone.now())
        if not claimed:
            raise LifecycleError("This confirmation link has already been used.")
        failing = [p.label for p in deletion_preconditions(shop) if not p.ok]
        if failing:
            raise LifecycleError("The shop cannot be deleted yet: " + "; ".join(failing) + ".")
        _transition(shop, S.DELETED, actor=actor, ip=ip)
        delete_shop_data_task.delay_on_commit(shop_id=shop.pk)


def _transition(shop: Shop, to: str, *, actor, ip, only_from: set[str] | None = None) -> None:
    """Through the one shop-status writer (shops.services.shop_status), as a lifecycle error."""
    locked = Shop.objects.select_for_update().get(pk=shop.pk)
    if only_from is not None and locked.status not in only_from:
        raise LifecycleError(
            f"A {locked.get_status_display().lower()} shop cannot become {S(to).label.lower()}."
        )
    try:
        shop_set_status(shop=shop, actor=actor, to=to, audit_action=f"lifecycle.shop_{to}", ip=ip)
    except ValidationError as exc:
        raise LifecycleError(exc.messages[0]) from exc


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

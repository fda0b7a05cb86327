"""Returns and refunds (SPEC §7): every write to a ReturnRequest goes through here.

``return_transition`` is the one function that changes a return's status; it checks
``ReturnRequest.ALLOWED``, writes the history row and records seller activity. The other
functions validate their own inputs, then call it inside the same transaction, so a refused
step leaves nothing half-written.
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from PIL import Image, UnidentifiedImageError

from catalog.models import StockMovement
from catalog.services import stock_adjust
from common.policy import POLICY
from orders.models import Order, OrderLine, ReturnPhoto, ReturnPolicy, ReturnRequest
from orders.models.returns import RETURN_REASONS, ReturnStatusChange
from orders.timeutil import local_date, start_of_day
from shops import activity
from shops.models import Membership, Role, Shop
from shops.uploads import refuse_markup

Status = ReturnRequest.Status
Actor = ReturnStatusChange.ActorKind
CENT = Decimal("0.01")
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
NOTE_MAX_CHARS = 2000


# --- Policy and amounts ----------------------------------------------------------------------


def return_policy_for(shop: Shop) -> ReturnPolicy:
    """The shop's policy, or the platform defaults (unsaved) when the seller never set one."""
    found = ReturnPolicy.objects.filter(shop=shop).first()
    return found or ReturnPolicy(shop=shop, window_days=POLICY.return_window_days)


def return_window_last_day(order: Order, return_policy: ReturnPolicy) -> date | None:
    """The last calendar day (platform zone) a buyer may ask; None before delivery."""
    if order.delivered_at is None:
        return None
    return local_date(order.delivered_at) + timedelta(days=return_policy.window_days)


def line_paid(line: OrderLine, order: Order) -> Decimal:
    """What the buyer paid for the line: its total less its share of the order discount."""
    if not order.subtotal:
        return Decimal("0.00")
    share = (order.discount * line.line_total / order.subtotal).quantize(CENT, ROUND_HALF_UP)
    return max(line.line_total - share, Decimal("0.00"))


def refundable_cap(return_request: ReturnRequest, return_policy: ReturnPolicy) -> Decimal:
    """The most this return may refund: the line as paid, plus its share of shipping when the
    policy refunds shipping — and never more than what is left of the order's total."""
    order, line = return_request.order, return_request.line
    cap = line_paid(line, order)
    if return_policy.refund_original_shipping and order.subtotal:
        cap += (order.shipping_fee * line.line_total / order.subtotal).quantize(CENT, ROUND_HALF_UP)
    already = sum(
        (
            r.refund_amount or Decimal("0")
            for r in ReturnRequest.objects.filter(shop=order.shop_id, order=order).exclude(
                pk=return_request.pk
            )
        ),
        Decimal("0"),
    )
    return max(min(cap, order.total - already), Decimal("0.00"))


def restocking_fee(return_policy: ReturnPolicy, refund: Decimal) -> Decimal:
    """The policy's fee on a refund of ``refund`` — never above the refund itself."""
    kind = return_policy.restocking_fee_kind
    if kind == ReturnPolicy.FeeKind.PERCENT:
        fee = (refund * return_policy.restocking_fee_value / 100).quantize(CENT, ROUND_HALF_UP)
    elif kind == ReturnPolicy.FeeKind.FIXED:
        fee = return_policy.restocking_fee_value
    else:
        fee = Decimal("0.00")
    return min(max(fee, Decimal("0.00")), refund)


def response_due_on(return_request: ReturnRequest) -> date:
    """The last calendar day the seller may answer; the beat task auto-approves the day after."""
    return local_date(return_request.requested_at) + timedelta(days=POLICY.return_response_days)


# --- The buyer's side ------------------------------------------------------------------------


def return_open(
    *,
    shop: Shop,
    order: Order,
    line: OrderLine,
    kind: str,
    reason: str,
    note: str = "",
    photos: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> ReturnRequest:
    """The buyer asks for a return of one order line, within the shop's return window."""
    now = now or timezone.now()
    if order.shop_id != shop.pk or line.order_id != order.pk:
        raise ValidationError("That item is not part of this order.")
    if kind not in ReturnRequest.Kind.values:
        raise ValidationError("Choose return and refund, or refund only.")
    if reason not in RETURN_REASONS:
        raise ValidationError("Choose a reason from the list.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise ValidationError(f"Keep the note under {NOTE_MAX_CHARS} characters.")
    return_policy = return_policy_for(shop)
    last_day = return_window_last_day(order, return_policy)
    if last_day is None or order.status not in (Order.Status.DELIVERED, Order.Status.COMPLETED):
        raise ValidationError("A return can be requested once the order has been delivered.")
    if local_date(now) > last_day:
        raise ValidationError(
            f"The return window for this order closed on {last_day:%b %-d, %Y} "
            f"({return_policy.window_days} days after delivery)."
        )
    checked = _validate_photos(photos)
    if ReturnRequest.objects.filter(shop=shop, line=line).exists():
        raise ValidationError("A return has already been requested for this item.")
    try:
        with transaction.atomic():
            return_request = ReturnRequest.objects.create(
                shop=shop,
                order=order,
                line=line,
                kind=kind,
                reason=reason,
                note=note,
                requested_at=now,
                return_shipping_paid_by=return_policy.return_shipping_paid_by,
            )
            ReturnStatusChange.objects.create(
                shop=shop,
                return_request=return_request,
                from_status="",
                to_status=Status.REQUESTED,
                actor_kind=Actor.BUYER,
                note=reason,
                created_at=now,
            )
            _save_photos(return_request, checked, ReturnPhoto.Stage.REQUEST)
    except IntegrityError as exc:  # a second request raced this one for the same line
        raise ValidationError("A return has already been requested for this item.") from exc
    transaction.on_commit(lambda: _notify_sellers_new_request(return_request.pk, shop.pk))
    return return_request


def return_buyer_ship(
    *, shop: Shop, return_request: ReturnRequest, carrier: str, tracking: str
) -> ReturnRequest:
    carrier, tracking = (carrier or "").strip()[:32], (tracking or "").strip()[:64]
    if return_request.kind != ReturnRequest.Kind.RETURN_AND_REFUND:
        raise ValidationError("Refund-only requests need no parcel sent back.")
    if not carrier or not tracking:
        raise ValidationError("Enter the carrier and the tracking number of the parcel.")
    return return_transition(
        shop=shop,
        return_request=return_request,
        to_status=Status.BUYER_SHIPPED,
        actor_kind=Actor.BUYER,
        note=f"{carrier} {tracking}",
        fields={"return_carrier": carrier, "return_tracking": tracking},
    )


def return_escalate(*, shop: Shop, return_request: ReturnRequest, note: str) -> ReturnRequest:
    note = (note or "").strip()
    if not note:
        raise ValidationError("Tell platform staff why you disagree with the inspection.")
    return return_transition(
        shop=shop,
        return_request=return_request,
        to_status=Status.ESCALATED,
        actor_kind=Actor.BUYER,
        note=note[:NOTE_MAX_CHARS],
        fields={"escalation_note": note[:NOTE_MAX_CHARS]},
    )


# --- The seller's side -----------------------------------------------------------------------


def return_approve(*, shop: Shop, actor, return_request: ReturnRequest) -> ReturnRequest:
    return return_transition(
        shop=shop,
        return_request=return_request,
        to_status=Status.APPROVED,
        actor=actor,
        actor_kind=Actor.SELLER,
    )


def return_reject(*, shop: Shop, actor, return_request: ReturnRequest, reason: str):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the buyer a reason for the rejection.")
    return return_transition(
        shop=shop,
        return_request=return_request,
        to_status=Status.REJECTED,
        actor=actor,
        actor_kind=Actor.SELLER,
        note=reason[:NOTE_MAX_CHARS],
        fields={"rejection_reason": reason[:NOTE_MAX_CHARS]},
    )


def return_receive(
    *, shop: Shop, actor, return_request: ReturnRequest, restock: bool
) -> ReturnRequest:
    """The parcel arrived. With ``restock`` the units go back on hand ("return restock")."""
    with transaction.atomic():
        return_request = return_transition(
            shop=shop,
            return_request=return_request,
            to_status=Status.RECEIVED,
            actor=actor,
            actor_kind=Actor.SELLER,
            note="Restocked" if restock else "Not restocked",
            fields={"restocked": restock},
        )
        line = return_request.line
        if restock and line.sku_id:
            stock_adjust(
                shop=shop,
                sku_id=line.sku_id,
                delta=line.quantity,
                reason=StockMovement.Reason.RETURN_RESTOCK,
                reference=return_request.order.number,
                actor=actor,
            )
    return return_request


def return_refund(
    *,
    shop: Shop,
    actor,
    return_request: ReturnRequest,
    amount: Decimal,
    actor_kind: str = Actor.SELLER,
) -> ReturnRequest:
    """Refund ``amount`` (full or partial) less the policy's restocking fee, and book it."""
    from orders.services.finance import ledger_book_refund

    return_policy = return_policy_for(shop)
    try:
        amount = Decimal(amount).quantize(CENT)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ValidationError("Enter the refund as an amount, e.g. 12.50.") from exc
    if amount <= 0:
        raise ValidationError("The refund must be more than $0.00.")
    with transaction.atomic():
        # Decide on the state as it is now, under the row lock, not on the caller's copy.
        return_request = (
            ReturnRequest.objects.select_for_update()
            .select_related("order", "line")
            .get(shop=shop, pk=return_request.pk)
        )
        cap = refundable_cap(return_request, return_policy)
        if amount > cap:
            raise ValidationError(
                f"The refund can be at most ${cap} — what the buyer paid for this item"
                f"{' including its shipping' if return_policy.refund_original_shipping else ''}."
            )
        status = return_request.status
        if status == Status.APPROVED and return_request.kind != ReturnRequest.Kind.REFUND_ONLY:
            raise ValidationError("Wait for the item to come back before refunding this return.")
        # The fee covers putting a returned item back on sale; a refund without a return has none.
        fee = Decimal("0.00")
        if status == Status.RECEIVED and actor_kind == Actor.SELLER:
            fee = restocking_fee(return_policy, amount)
        refunded = amount - fee
        return_request = return_transition(
            shop=shop,
            return_request=return_request,
            to_status=Status.REFUNDED,
            actor=actor,
            actor_kind=actor_kind,
            note=f"Refunded ${refunded}" + (f" (restocking fee ${fee})" if fee else ""),
            fields={"refund_amount": refunded, "restocking_fee": fee},
        )
        ledger_book_refund(shop=shop, return_request=return_request, amount=refunded, actor=actor)
    return return_request


def return_reject_receipt(
    *,
    shop: Shop,
    actor,
    return_request: ReturnRequest,
    reason: str,
    photos: Sequence[UploadedFile] = (),
) -> ReturnRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say what failed the inspection.")
    checked = _validate_photos(photos)
    with transaction.atomic():
        return_request = return_transition(
            shop=shop,
            return_request=return_request,
            to_status=Status.RECEIPT_REJECTED,
            actor=actor,
            actor_kind=Actor.SELLER,
            note=reason[:NOTE_MAX_CHARS],
            fields={"receipt_rejection_reason": reason[:NOTE_MAX_CHARS]},
        )
        _save_photos(return_request, checked, ReturnPhoto.Stage.RECEIPT)
    return return_request


def return_staff_decide(
    *, actor, return_request: ReturnRequest, for_buyer: bool, note: str = ""
) -> ReturnRequest:
    """Platform staff settle an escalation: refund the buyer in full, or uphold the seller."""
    shop = return_request.shop
    with scope(shop=shop):
        return_request.refresh_from_db()
        if return_request.status != Status.ESCALATED:
            raise ValidationError("Only escalated returns are decided by platform staff.")
        if for_buyer:
            cap = refundable_cap(return_request, return_policy_for(shop))
            return return_refund(
                shop=shop,
                actor=actor,
                return_request=return_request,
                amount=cap,
                actor_kind=Actor.STAFF,
            )
        return return_transition(
            shop=shop,
            return_request=return_request,
            to_status=Status.CLOSED,
            actor=actor,
            actor_kind=Actor.STAFF,
            note=note or "Receipt rejection upheld",
            fields={"staff_decision_note": note},
        )


# --- The one transition ----------------------------------------------------------------------


def return_transition(
    *,
    shop: Shop,
    return_request: ReturnRequest,
    to_status: str,
    actor_kind: str,
    actor=None,
    note: str = "",
    fields: dict | None = None,
    now: datetime | None = None,
) -> ReturnRequest:
    """Move a return to ``to_status`` if ALLOWED from where it is now (read under a row lock)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            ReturnRequest.objects.select_for_update()
            .select_related("order", "line")
            .get(shop=shop, pk=return_request.pk)
        )
        from_status = locked.status
        if to_status not in ReturnRequest.ALLOWED.get(from_status, set()):
            raise ValidationError(
                f"This return is {locked.get_status_display().lower()}; it cannot be "
                f"{_verb(to_status)}."
            )
        locked.status = to_status
        for name, value in (fields or {}).items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", *(fields or {})])
        ReturnStatusChange.objects.create(
            shop=shop,
            return_request=locked,
            from_status=from_status,
            to_status=to_status,
            actor=actor if getattr(actor, "pk", None) else None,
            actor_kind=actor_kind,
            note=note,
            created_at=now,
        )
        if actor_kind == Actor.SELLER:
            activity.record(shop=shop, kind=activity.Kind.ORDER_PROCESSED, actor=actor, at=now)
        if actor_kind != Actor.BUYER:
            transaction.on_commit(lambda: _notify_buyer(locked.pk))
    return locked


def _verb(status: str) -> str:
    return {
        Status.APPROVED: "approved",
        Status.REJECTED: "rejected",
        Status.BUYER_SHIPPED: "marked as shipped back",
        Status.RECEIVED: "marked as received",
        Status.REFUNDED: "refunded",
        Status.RECEIPT_REJECTED: "rejected after inspection",
        Status.ESCALATED: "escalated",
        Status.CLOSED: "closed",
    }.get(status, status)


# --- The beat task's work --------------------------------------------------------------------


def returns_auto_approve(*, on_date: date) -> dict[str, int]:
    """Run for ``on_date`` (platform zone): approve requests whose answer day has passed, and
    warn sellers whose answer day is today. Idempotent: re-runs warn and approve nothing twice.

    A request made on day D may be answered until the end of D + RETURN_RESPONSE_DAYS.
    """
    days = POLICY.return_response_days
    last_day_today = start_of_day(on_date - timedelta(days=days))  # requests made that day
    approved = warned = 0
    with scopes_disabled():
        overdue = list(
            ReturnRequest.objects.filter(status=Status.REQUESTED, requested_at__lt=last_day_today)
            .select_related("shop")
            .order_by("requested_at")
        )
        to_warn = list(
            ReturnRequest.objects.filter(
                status=Status.REQUESTED,
                warned_at__isnull=True,
                requested_at__gte=last_day_today,
                requested_at__lt=start_of_day(on_date - timedelta(days=days - 1)),
            ).select_related("shop", "order")
        )
    for request in overdue:
        with scope(shop=request.shop):
            try:
                return_transition(
                    shop=request.shop,
                    return_request=request,
                    to_status=Status.APPROVED,
                    actor_kind=Actor.SYSTEM,
                    note=f"Approved automatically: no answer within {days} days",
                )
                approved += 1
            except ValidationError:
                pass  # the seller answered meanwhile
    for request in to_warn:
        with scope(shop=request.shop):
            # Claim the warning first, so two overlapping runs never send it twice.
            claimed = ReturnRequest.objects.filter(
                pk=request.pk, status=Status.REQUESTED, warned_at__isnull=True
            ).update(warned_at=timezone.now())
            if claimed:
                _warn_sellers(request)
                warned += 1
    return {"approved": approved, "warned": warned}


def _seller_emails(shop: Shop) -> list[str]:
    return list(
        Membership.objects.filter(shop=shop, role__in=[Role.OWNER, Role.MANAGER]).values_list(
            "user__email", flat=True
        )
    )


def _warn_sellers(request: ReturnRequest) -> None:
    send_mail(
        f"Answer return request #{request.pk} today or it is approved automatically",
        f"The buyer of order {request.order.number} asked for a return "
        f"({request.get_kind_display().lower()}: {request.reason}). If you do not answer by the "
        f"end of today, the request is approved automatically.",
        settings.DEFAULT_FROM_EMAIL,
        _seller_emails(request.shop),
    )


def _notify_sellers_new_request(return_request_id: int, shop_id: int) -> None:
    with scopes_disabled():
        request = ReturnRequest.objects.select_related("shop", "order").get(pk=return_request_id)
    send_mail(
        f"New return request for order {request.order.number}",
        f"A buyer asked for a return ({request.get_kind_display().lower()}: {request.reason}). "
        f"Answer by {response_due_on(request):%b %-d}, or it is approved automatically.",
        settings.DEFAULT_FROM_EMAIL,
        _seller_emails(request.shop),
    )


BUYER_NOTICES = {
    Status.APPROVED: "The shop approved your return request.{ship}",
    Status.REJECTED: "The shop declined your return request: {r.rejection_reason}",
    Status.RECEIVED: "The shop received your returned item.",
    Status.REFUNDED: "You have been refunded ${r.refund_amount}.",
    Status.RECEIPT_REJECTED: (
        "The shop says the returned item failed inspection: {r.receipt_rejection_reason}. "
        "You can ask platform staff to decide from your order page."
    ),
    Status.CLOSED: "Platform staff upheld the shop's inspection; the return is closed.",
}


def _notify_buyer(return_request_id: int) -> None:
    with scopes_disabled():
        r = ReturnRequest.objects.select_related("shop", "order").get(pk=return_request_id)
    template = BUYER_NOTICES.get(r.status)
    if not template:
        return
    ship = (
        " Please send the item back and enter the tracking number on your order page."
        if r.status == Status.APPROVED and r.kind == ReturnRequest.Kind.RETURN_AND_REFUND
        else ""
    )
    send_mail(
        f"{r.shop.name}: your return for order {r.order.number}",
        template.format(r=r, ship=ship),
        settings.DEFAULT_FROM_EMAIL,
        [r.order.buyer_email],
    )


# --- Photos ----------------------------------------------------------------------------------


def _validate_photos(photos: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """Images recognised by content (JPEG, PNG, WebP), within size and count limits."""
    photos = [p for p in photos if p]
    if len(photos) > POLICY.return_photos_max:
        raise ValidationError(f"Attach at most {POLICY.return_photos_max} photos.")
    checked = []
    for photo in photos:
        if photo.size > POLICY.return_photo_max_bytes:
            raise ValidationError(
                f"{photo.name} is larger than {POLICY.return_photo_max_bytes // 2**20} MB."
            )
        try:
            photo.seek(0)
            with Image.open(photo) as image:
                fmt, (width, height) = image.format, image.size
                if width * height > POLICY.return_photo_max_pixels:
                    raise ValidationError(f"{photo.name} has too many pixels to be a photo.")
                image.verify()
            photo.seek(0)
            with Image.open(photo) as image:
                image.load()  # verify() does not decode: a truncated JPEG only fails here
        except ValidationError:
            raise
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
        ) as exc:
            raise ValidationError(f"{photo.name} is not a photo we can read.") from exc
        finally:
            photo.seek(0)
        if fmt not in PHOTO_FORMATS:
            raise ValidationError(f"{photo.name}: use a JPEG, PNG or WebP photo.")
        refuse_markup(photo, name=photo.name)
        photo.seek(0)
        checked.append((photo, PHOTO_FORMATS[fmt]))
    return checked


def _save_photos(return_request: ReturnRequest, checked, stage: str) -> None:
    for photo, content_type in checked:
        ext = content_type.split("/")[1].replace("jpeg", "jpg")
        item = ReturnPhoto(
            shop_id=return_request.shop_id,
            return_request=return_request,
            stage=stage,
            content_type=content_type,
        )
        item.image.save(f"return-{return_request.pk}.{ext}", photo, save=False)
        item.save()


# --- Policy settings -------------------------------------------------------------------------


def return_policy_update(*, shop: Shop, actor, data: dict) -> ReturnPolicy:
    """Save the shop's refund policy (applies to requests opened from now on)."""
    fields = [
        "window_days",
        "return_shipping_paid_by",
        "refund_original_shipping",
        "restocking_fee_kind",
        "restocking_fee_value",
    ]
    with transaction.atomic():
        current = return_policy_for(shop)
        before = {name: getattr(current, name) for name in fields}
        values = {name: data[name] for name in fields} | {"updated_at": timezone.now()}
        saved, _ = ReturnPolicy.objects.update_or_create(shop=shop, defaults=values)
        changes = {n: (before[n], values[n]) for n in fields if before[n] != values[n]}
        if changes:
            from accounts import audit

            audit.record(
                actor=actor,
                action="returns.policy_updated",
                shop=shop,
                target=saved,
                changes=changes,
            )
    return saved

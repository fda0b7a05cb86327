"""LIVE session writes: schedule, pin and unpin products, start, pause and end. Errors carry
the seller's message; statuses move through ``common.transitions`` (with a history row)."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts import audit
from catalog.models import Product
from common.errors import BadInput, Refused
from common.policy import POLICY
from common.transitions import transition
from orders.marketing.live_models import LivePin, LiveSession
from orders.marketing.services import _cheapest_prices, special_price_check
from shops.models import Shop


@transaction.atomic
def live_session_schedule(
    *,
    shop: Shop,
    actor,
    session: LiveSession | None = None,
    title: str,
    starts_at: datetime | None,
    expected_minutes: int | None,
    now: datetime | None = None,
) -> LiveSession:
    """Schedule a session (``session=None``) or change one that has not started."""
    now = now or timezone.now()
    if session is not None and session.status != LiveSession.Status.SCHEDULED:
        raise Refused("Only a session that has not started can be rescheduled.")
    title = (title or "").strip()
    if not title:
        raise BadInput("Give the session a title.", field="title")
    if len(title) > 150:
        raise BadInput("The title is too long (at most 150 characters).", field="title")
    if starts_at is None:
        raise BadInput("Enter when the session starts.", field="starts_at")
    if starts_at < now and (session is None or starts_at != session.starts_at):
        raise BadInput("The start is in the past; choose a future time.", field="starts_at")
    if expected_minutes is None or expected_minutes <= 0:
        raise BadInput(
            "The session must end after it starts: give it a length of at least 1 minute.",
            field="expected_minutes",
        )
    if expected_minutes > POLICY.live_max_session_minutes:
        raise BadInput(
            f"A session lasts at most {POLICY.live_max_session_minutes // 60} hours.",
            field="expected_minutes",
        )
    created = session is None
    if created:
        session = LiveSession(shop=shop, created_at=now)
    session.title, session.starts_at, session.expected_minutes = title, starts_at, expected_minutes
    session.save()
    for pin in session.pins.select_related("product") if not created else ():
        _refuse_overlap(shop=shop, session=session, product=pin.product, now=now)
    audit.record(
        actor=actor,
        action="marketing.live_scheduled" if created else "marketing.live_rescheduled",
        shop=shop,
        target=session,
    )
    return session


@transaction.atomic
def live_pin_save(
    *,
    shop: Shop,
    actor,
    session: LiveSession,
    product: Product,
    live_price: Decimal | None,
    allocation: int | None,
    per_buyer_limit: int | None,
    now: datetime | None = None,
) -> LivePin:
    """Pin a product to a session, or change its pin (live price, allocation, buyer limit)."""
    now = now or timezone.now()
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    if session.status == LiveSession.Status.ENDED:
        raise Refused("This session has ended; its pinned products can no longer change.")
    if product.shop_id != shop.pk or product.status == Product.Status.DELETED:
        raise BadInput("Choose one of your products.", field="product")
    pin = LivePin.objects.filter(session=session, product=product).first()
    if pin is None and session.pins.count() >= POLICY.live_max_pinned_products:
        raise Refused(
            f"A session pins at most {POLICY.live_max_pinned_products} products; unpin one first.",
            field="product",
        )
    regular = _cheapest_prices(shop, [product.pk]).get(product.pk)
    if regular is None:
        raise BadInput(f"“{product.title}” has no price yet; price it first.", field="product")
    if live_price is not None:
        special_price_check(
            live_price, regular=regular, product=product, what="live price", field="live_price"
        )
    for label, field, value in (
        ("The live allocation", "allocation", allocation),
        ("The per-buyer limit", "per_buyer_limit", per_buyer_limit),
    ):
        if value is not None and value < 1:
            raise BadInput(f"{label} must be at least 1 (or left empty).", field=field)
    if pin is not None and allocation is not None and allocation < pin.sold:
        raise BadInput(
            f"{pin.sold} have already sold in this session; the allocation cannot be lower.",
            field="allocation",
        )
    _refuse_overlap(shop=shop, session=session, product=product, now=now)
    created = pin is None
    if created:
        pin = LivePin(shop=shop, session=session, product=product, created_at=now)
    before = dict.fromkeys(_PIN_TERMS, "—") if created else _pin_terms(pin)
    pin.live_price, pin.allocation, pin.per_buyer_limit = live_price, allocation, per_buyer_limit
    if created:
        pin.save()
    else:
        # Never write ``sold`` from here: checkout owns that counter.
        pin.save(update_fields=list(_PIN_TERMS))
    after = _pin_terms(pin)
    changes = {k: (before[k], after[k]) for k in _PIN_TERMS if before[k] != after[k]}
    if created or changes:
        audit.record(
            actor=actor,
            action="marketing.live_pinned" if created else "marketing.live_pin_changed",
            shop=shop,
            target=session,
            changes={"product": (None if created else product.title, product.title), **changes},
        )
    return pin


_PIN_TERMS = ("live_price", "allocation", "per_buyer_limit")


def _pin_terms(pin: LivePin) -> dict[str, str]:
    """A pin's terms as the audit log shows them ("—" for none)."""
    return {k: "—" if getattr(pin, k) is None else str(getattr(pin, k)) for k in _PIN_TERMS}


@transaction.atomic
def live_pin_remove(*, shop: Shop, actor, pin: LivePin) -> None:
    """Unpin a product: only while its session has sold nothing of it."""
    if pin.session.status == LiveSession.Status.ENDED:
        raise Refused("This session has ended; its pinned products can no longer change.")
    if pin.sales.exists():
        raise Refused(f"“{pin.product.title}” has sold in this session; it stays pinned.")
    pin.delete()
    audit.record(actor=actor, action="marketing.live_unpinned", shop=shop, target=pin.session)


def live_session_start(*, shop: Shop, actor, session: LiveSession, now=None) -> LiveSession:
    """Go live (from scheduled, or back from a pause): live prices apply from now."""
    now = now or timezone.now()

    def check(locked: LiveSession) -> str | None:
        if locked.status not in (LiveSession.Status.SCHEDULED, LiveSession.Status.PAUSED):
            return None  # the table words it
        busy = (
            LivePin.objects.filter(
                session__shop=shop,
                session__status__in=LiveSession.UNDERWAY,
                product_id__in=locked.pins.values("product_id"),
            )
            .exclude(session=locked)
            .select_related("product", "session")
            .first()
        )
        if busy:
            return (
                f"“{busy.product.title}” is pinned to “{busy.session.title}”, which is "
                "still open; end that session or unpin the product first."
            )
        return None

    return _move(
        session,
        LiveSession.Status.LIVE,
        actor=actor,
        check=check,
        fields=lambda s: {"started_at": s.started_at or now},
    )


def live_session_pause(*, shop: Shop, actor, session: LiveSession) -> LiveSession:
    """Pause: pinned products sell at their regular price until the session goes live again."""
    return _move(session, LiveSession.Status.PAUSED, actor=actor)


def live_session_end(*, shop: Shop, actor, session: LiveSession, now=None) -> LiveSession:
    """End (or cancel, if it never started). Orders already placed keep their prices."""
    now = now or timezone.now()
    return _move(
        session,
        LiveSession.Status.ENDED,
        actor=actor,
        fields=lambda s: {"ended_at": now if s.started_at else None},
    )


_WORDS = {
    LiveSession.Status.LIVE: "start",
    LiveSession.Status.PAUSED: "pause",
    LiveSession.Status.ENDED: "end",
}


def _move(session, to, *, actor, check=None, fields=None) -> LiveSession:
    with transaction.atomic():
        moved = transition(
            session,
            to,
            check=check,
            fields=fields,
            history={"actor": actor},
            refused=lambda s: f"A {s.get_status_display().lower()} session cannot {_WORDS[to]}.",
            error=Refused,
        )
        audit.record(
            actor=actor,
            action=f"marketing.live_{_WORDS[to]}",
            shop=session.shop,
            target=moved.row,
            changes={"status": (moved.from_status, to)},
        )
    return moved.row


def _refuse_overlap(*, shop: Shop, session: LiveSession, product: Product, now) -> None:
    """A product is pinned to one open session at a time: refuse another whose window meets
    this one's."""
    start, end = session.window(now)
    for other in LiveSession.objects.filter(
        shop=shop, status__in=LiveSession.OPEN, pins__product=product
    ).exclude(pk=session.pk):
        other_start, other_end = other.window(now)
        if other_start < end and start < other_end:
            raise BadInput(
                f"“{product.title}” is already pinned to “{other.title}” at an overlapping "
                "time; choose another product or time.",
                field="product",
            )

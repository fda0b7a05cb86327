"""Reads for the customer-service inbox and the Home tiles."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from common.figures import Figure, shop_figure
from common.paging import keyset_page
from common.policy import POLICY
from orders.inbox.models import Conversation, Message
from shops.models import Shop

# common.figures name of Home's response-rate tile; forgotten when the seller replies.
RESPONSE_RATE_FIGURE = "response_rate"


@dataclass(frozen=True)
class ResponseRate:
    answered_in_time: int
    counted: int

    @property
    def rate(self) -> Decimal | None:
        if not self.counted:
            return None
        return Decimal(self.answered_in_time) / Decimal(self.counted)

    @property
    def percent(self) -> Decimal | None:
        rate = self.rate
        return None if rate is None else (rate * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def below_guideline(self) -> bool:
        rate = self.rate
        return rate is not None and rate < POLICY.response_rate_guideline


def response_rate(shop: Shop, now: datetime) -> ResponseRate:
    """Share of buyer messages of the last 30 days answered within 24 hours.

    A message still unanswered but younger than 24 hours is not counted yet: it can still be
    answered in time. Exactly 24 hours counts as in time.
    """
    window = timedelta(days=POLICY.response_rate_window_days)
    limit = timedelta(hours=POLICY.response_rate_answer_hours)
    in_time = Q(answered_at__isnull=False, answered_at__lte=F("sent_at") + limit)
    counted = Q(answered_at__isnull=False) | Q(sent_at__lte=now - limit)
    sums = Message.objects.filter(
        shop=shop, from_buyer=True, sent_at__gt=now - window, sent_at__lte=now
    ).aggregate(
        counted=Count("id", filter=counted),
        in_time=Count("id", filter=in_time),
    )
    return ResponseRate(answered_in_time=sums["in_time"], counted=sums["counted"])


def response_rate_figure(shop: Shop) -> Figure:
    """``response_rate`` now, as of at most a minute ago: it reads 30 days of buyer messages."""
    return shop_figure(shop.pk, RESPONSE_RATE_FIGURE, lambda: response_rate(shop, timezone.now()))


def conversation_list(*, shop: Shop, show: str = "open"):
    """Conversations with their unread count (buyer messages since the seller last read)."""
    unread = Count(
        "messages",
        filter=Q(messages__from_buyer=True)
        & (Q(seller_read_at__isnull=True) | Q(messages__sent_at__gt=F("seller_read_at"))),
    )
    qs = Conversation.objects.filter(shop=shop)
    if show == "open":
        qs = qs.filter(resolved=False)
    elif show == "resolved":
        qs = qs.filter(resolved=True)
    last_body = Message.objects.filter(conversation=OuterRef("pk")).order_by("-sent_at", "-id")
    return (
        qs.select_related("order", "product")
        .annotate(unread=unread, last_body=Subquery(last_body.values("body")[:1]))
        .order_by("-last_message_at", "-id")
    )


INBOX_PAGE_SIZE = 50


def conversation_page(qs, *, cursor: str = "", size: int = INBOX_PAGE_SIZE):
    """One keyset page of ``conversation_list`` (newest first) and the cursor of the next."""
    page = keyset_page(qs, field="last_message_at", cursor=cursor, size=size)
    return page.rows, page.next_cursor


def access_conversation(shop: Shop, conversation_id: int) -> Conversation:
    return get_object_or_404(Conversation.objects.filter(shop=shop), pk=conversation_id)

"""Customer-service inbox (SPEC §7): buyers write, sellers answer, answers are timed.

``Message.answered_at`` on a buyer message is set by the first seller reply after it; the
response rate (orders.inbox.selectors.response_rate) reads only that.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from catalog.models import Product
from common.errors import BadInput
from common.figures import shop_figure_forget
from common.mail import email_queue
from common.policy import POLICY
from orders.inbox.models import Conversation, Message
from orders.inbox.selectors import RESPONSE_RATE_FIGURE
from orders.models import Order
from shops import activity
from shops.models import Shop


def message_body_clean(body: str) -> str:
    body = (body or "").strip()
    limit = POLICY.message_max_chars
    if not body:
        raise BadInput("Write a message first: an empty message cannot be sent.")
    if len(body) > limit:
        raise BadInput(f"Messages can be at most {limit:,} characters; this one has {len(body):,}.")
    return body


def conversation_start(
    *,
    shop: Shop,
    buyer_name: str,
    buyer_email: str,
    body: str,
    order: Order | None = None,
    product: Product | None = None,
    now: datetime | None = None,
) -> Conversation:
    """A buyer writes about an order (one thread per order) or a product (a new thread)."""
    body = message_body_clean(body)
    buyer_name = (buyer_name or "").strip()[:150]
    if not buyer_name or "@" not in (buyer_email or ""):
        raise BadInput("Give your name and email so the shop can answer you.")
    with transaction.atomic():
        conversation = None
        if order is not None:
            conversation = Conversation.objects.filter(shop=shop, order=order).first()
        if conversation is None:
            conversation = Conversation.objects.create(
                shop=shop,
                order=order,
                product=product,
                buyer_name=buyer_name,
                buyer_email=buyer_email.strip()[:254],
                last_message_at=now or timezone.now(),
            )
        message_buyer_send(shop=shop, conversation=conversation, body=body, now=now)
    return conversation


def message_buyer_send(
    *, shop: Shop, conversation: Conversation, body: str, now: datetime | None = None
) -> Message:
    body = message_body_clean(body)
    now = now or timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
            shop=shop, conversation=conversation, from_buyer=True, body=body, sent_at=now
        )
        # A new buyer message reopens a resolved conversation.
        Conversation.objects.filter(shop=shop, pk=conversation.pk).update(
            last_message_at=now, resolved=False
        )
    return message


def message_reply(
    *, shop: Shop, actor, conversation: Conversation, body: str, now: datetime | None = None
) -> Message:
    """The seller answers: every unanswered buyer message in the thread counts as answered now."""
    body = message_body_clean(body)
    now = now or timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
            shop=shop,
            conversation=conversation,
            from_buyer=False,
            author=actor,
            body=body,
            sent_at=now,
        )
        Message.objects.filter(
            shop=shop, conversation=conversation, from_buyer=True, answered_at__isnull=True
        ).update(answered_at=now)
        Conversation.objects.filter(shop=shop, pk=conversation.pk).update(
            last_message_at=now, seller_read_at=now
        )
        activity.record(shop=shop, kind=activity.Kind.MESSAGE_ANSWERED, actor=actor, at=now)
        shop_figure_forget(shop.pk, RESPONSE_RATE_FIGURE)  # the reply shows on Home at once
        _email_buyer(message)
    conversation.refresh_from_db()
    return message


def conversation_mark_read(*, shop: Shop, conversation: Conversation, now=None) -> None:
    Conversation.objects.filter(shop=shop, pk=conversation.pk).update(
        seller_read_at=now or timezone.now()
    )


def conversation_resolve(*, shop: Shop, actor, conversation: Conversation, resolved=True):
    Conversation.objects.filter(shop=shop, pk=conversation.pk).update(resolved=resolved)
    conversation.resolved = resolved
    return conversation


def _email_buyer(message: Message) -> None:
    """Buyers have no Seller Center account: the reply reaches them by email."""
    email_queue(
        to=message.conversation.buyer_email,
        subject=f"{message.shop.name} answered your message",
        body=f"{message.body}\n\n— {message.shop.name}",
        shop_id=message.shop_id,
    )

"""Customer-service inbox (SPEC §7): messages, unread counts, htmx replies, response rate."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from common.errors import DomainError
from orders.buyer_links import buyer_order_token as make_buyer_token
from orders.inbox import services as svc
from orders.inbox.models import Conversation, Message
from orders.inbox.selectors import conversation_list, response_rate
from shops.models import ActivityEvent
from tests.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)


def thread(shop, *, sent, answered_after=None):
    """A buyer message sent at ``sent``, answered ``answered_after`` later (or never)."""
    with scope(shop=shop):
        conversation = Conversation.objects.create(
            shop=shop, buyer_name="Bea Buyer", buyer_email="bea@example.com", last_message_at=sent
        )
        message = svc.message_buyer_send(
            shop=shop, conversation=conversation, body="Where is it?", now=sent
        )
        if answered_after is not None:
            svc.message_reply(
                shop=shop,
                actor=None,
                conversation=conversation,
                body="On its way",
                now=sent + answered_after,
            )
    return conversation, message


# --- Messages -------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 10_000])
def test_empty_or_overlong_message_is_refused_and_nothing_written(shop, body):
    with pytest.raises(DomainError) as exc:
        svc.conversation_start(
            shop=shop, buyer_name="Bea", buyer_email="bea@example.com", body=body
        )
    assert "empty message" in str(exc.value) or "at most 4,000 characters" in str(exc.value)
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_longest_allowed_message_is_accepted(shop):
    with scope(shop=shop):
        conversation = svc.conversation_start(
            shop=shop, buyer_name="Bea", buyer_email="bea@example.com", body="x" * 4000
        )
        assert conversation.messages.get().body == "x" * 4000


def test_reply_answers_every_waiting_buyer_message_and_records_activity(shop, owner):
    with scope(shop=shop):
        order = OrderFactory(shop=shop)
        conversation = svc.conversation_start(
            shop=shop,
            order=order,
            buyer_name="Bea",
            buyer_email="b@example.com",
            body="Hi",
            now=NOW,
        )
        svc.message_buyer_send(
            shop=shop, conversation=conversation, body="Hello?", now=NOW + timedelta(hours=1)
        )
        svc.message_reply(
            shop=shop,
            actor=owner,
            conversation=conversation,
            body="Hi!",
            now=NOW + timedelta(hours=2),
        )
        answered = Message.objects.filter(from_buyer=True).values_list("answered_at", flat=True)
        assert set(answered) == {NOW + timedelta(hours=2)}
        assert ActivityEvent.objects.get(shop=shop).kind == "message_answered"
        # A later buyer message on the same order joins the same thread and reopens it.
        svc.conversation_resolve(shop=shop, actor=owner, conversation=conversation)
        again = svc.conversation_start(
            shop=shop, order=order, buyer_name="Bea", buyer_email="b@example.com", body="One more"
        )
    assert again.pk == conversation.pk
    conversation.refresh_from_db()
    assert conversation.resolved is False


def test_unread_counts_follow_what_the_seller_opened(owner_client, shop):
    with scope(shop=shop):
        conversation, _ = thread(shop, sent=NOW - timedelta(hours=3))
        svc.message_buyer_send(
            shop=shop, conversation=conversation, body="Hello?", now=NOW - timedelta(hours=2)
        )
        assert conversation_list(shop=shop).get().unread == 2
    kwargs = {"shop_slug": shop.slug, "conversation_id": conversation.pk}
    page = owner_client.get(reverse("orders:inbox_conversation", kwargs=kwargs))
    with scope(shop=shop):
        assert conversation_list(shop=shop).get().unread == 2  # a GET never writes
    read_url = reverse("orders:inbox_read", kwargs=kwargs)
    assert f'hx-post="{read_url}" hx-trigger="load"' in page.content.decode()
    assert owner_client.post(read_url).status_code == 204
    with scope(shop=shop):
        assert conversation_list(shop=shop).get().unread == 0


# --- Response rate --------------------------------------------------------------------------


def test_answer_at_exactly_24_hours_is_in_time_and_a_second_later_is_not(shop):
    with scope(shop=shop):
        thread(shop, sent=NOW - timedelta(days=3), answered_after=timedelta(hours=24))
        assert response_rate(shop, NOW).rate == 1
        thread(shop, sent=NOW - timedelta(days=3), answered_after=timedelta(hours=24, seconds=1))
        assert response_rate(shop, NOW).rate == pytest.approx(0.5)


def test_rate_at_exactly_80_percent_has_no_warning_and_below_it_does(shop):
    with scope(shop=shop):
        for _ in range(4):
            thread(shop, sent=NOW - timedelta(days=2), answered_after=timedelta(hours=1))
        thread(shop, sent=NOW - timedelta(days=2))  # never answered, past its 24 h
        rate = response_rate(shop, NOW)
        assert (rate.answered_in_time, rate.counted, rate.percent) == (4, 5, 80)
        assert rate.below_guideline is False
        thread(shop, sent=NOW - timedelta(days=2), answered_after=timedelta(hours=30))
        rate = response_rate(shop, NOW)
    assert rate.counted == 6 and rate.below_guideline is True


def test_rate_covers_the_last_30_days_and_waits_for_young_messages(shop):
    with scope(shop=shop):
        thread(shop, sent=NOW - timedelta(days=30, seconds=1))  # outside the window
        thread(shop, sent=NOW - timedelta(hours=23))  # unanswered but can still be answered in time
        assert response_rate(shop, NOW).counted == 0
        assert response_rate(shop, NOW).percent is None
        thread(shop, sent=NOW - timedelta(days=30) + timedelta(seconds=1))
        assert response_rate(shop, NOW).counted == 1


# --- Pages ----------------------------------------------------------------------------------


def htmx_reply(client, shop, body):
    """The seller answers a buyer's hour-old message from the inbox page (htmx)."""
    with scope(shop=shop):
        conversation, _ = thread(shop, sent=NOW - timedelta(hours=1))
    url = reverse(
        "orders:inbox_reply",
        kwargs={"shop_slug": shop.slug, "conversation_id": conversation.pk},
    )
    return client.post(url, {"body": body}, headers={"HX-Request": "true"})


def test_htmx_reply_returns_only_the_thread(owner_client, shop, owner):
    response = htmx_reply(owner_client, shop, "Shipped today!")
    html = response.content.decode()
    assert response.status_code == 200
    with scope(shop=shop):
        assert html.lstrip().startswith('<div id="thread">') and "<html" not in html
        assert "Shipped today!" in html
        assert Message.objects.filter(from_buyer=False, author=owner).exists()


def test_htmx_reply_refused_when_empty_shows_why(owner_client, shop):
    response = htmx_reply(owner_client, shop, "")
    assert "an empty message cannot be sent" in response.content.decode()
    with scope(shop=shop):
        assert not Message.objects.filter(from_buyer=False).exists()


def test_inbox_shows_rate_and_warning(owner_client, shop):
    thread(shop, sent=NOW - timedelta(days=2), answered_after=timedelta(hours=30))
    html = owner_client.get(
        reverse("orders:inbox", kwargs={"shop_slug": shop.slug})
    ).content.decode()
    assert "0.0%" in html and "below the 80% guideline" in html


def test_resolve_moves_the_conversation_to_resolved(owner_client, shop):
    conversation, _ = thread(shop, sent=NOW - timedelta(hours=1))
    owner_client.post(
        reverse(
            "orders:inbox_resolve",
            kwargs={"shop_slug": shop.slug, "conversation_id": conversation.pk},
        ),
        {"resolved": "1"},
    )
    inbox = reverse("orders:inbox", kwargs={"shop_slug": shop.slug})
    assert "Bea Buyer" not in owner_client.get(inbox).content.decode()
    assert "Bea Buyer" in owner_client.get(inbox + "?show=resolved").content.decode()


def test_buyer_writes_about_an_order_with_the_signed_link(client, shop, other_shop):
    with scope(shop=shop):
        order = OrderFactory(shop=shop, buyer_name="Bea Buyer")
        url = reverse(
            "orders_buyer:order_messages",
            kwargs={"store_slug": shop.slug, "token": make_buyer_token(order)},
        )
    assert client.post(url, {"body": ""}).status_code == 400
    client.post(url, {"body": "Can you gift-wrap it?"})
    with scope(shop=shop):
        assert (
            Conversation.objects.get(shop=shop, order=order).messages.get().body
            == "Can you gift-wrap it?"
        )
    # The same token under another store, or tampered, is a 404.
    assert client.get(url.replace(shop.slug, other_shop.slug)).status_code == 404
    assert client.get(url.replace("/messages/", "x/messages/")).status_code == 404


def test_buyer_asks_about_a_product_and_reads_the_answer(client, shop, owner):
    with scope(shop=shop):
        product = ProductFactory(shop=shop, title="Linen Shirt")
    url = reverse(
        "orders_buyer:product_question",
        kwargs={"store_slug": shop.slug, "product_id": product.pk},
    )
    response = client.post(
        url, {"buyer_name": "Bea", "buyer_email": "bea@example.com", "body": "True to size?"}
    )
    assert response.status_code == 302
    with scope(shop=shop):
        conversation = Conversation.objects.get(product=product)
        svc.message_reply(
            shop=shop, actor=owner, conversation=conversation, body="Yes, true to size"
        )
    assert "Yes, true to size" in client.get(response["Location"]).content.decode()


def test_buyer_posts_are_throttled(client, shop, override_policy):
    override_policy(buyer_posts_per_hour=2)
    order = OrderFactory(shop=shop)
    url = reverse(
        "orders_buyer:order_messages",
        kwargs={"store_slug": shop.slug, "token": make_buyer_token(order)},
    )
    assert client.post(url, {"body": "one"}).status_code == 302
    assert client.post(url, {"body": "two"}).status_code == 302
    assert client.post(url, {"body": "three"}).status_code == 429
    with scope(shop=shop):
        assert Message.objects.count() == 2
    assert client.get(url).status_code == 200  # reading is never throttled


def test_the_buyer_gets_the_reply_by_email(
    shop, owner, django_capture_on_commit_callbacks, mailoutbox
):
    with scope(shop=shop):
        conversation, _ = thread(shop, sent=NOW - timedelta(hours=1))
        with django_capture_on_commit_callbacks(execute=True):
            svc.message_reply(
                shop=shop, actor=owner, conversation=conversation, body="Ships Monday"
            )
    assert mailoutbox[-1].to == ["bea@example.com"] and "Ships Monday" in mailoutbox[-1].body


def test_inbox_pages_through_every_conversation_newest_first(owner_client, shop, settings):
    from orders.inbox import selectors as selectors_inbox

    size = selectors_inbox.INBOX_PAGE_SIZE
    # size + 3 conversations, two of them at the same instant (ties broken by id)
    for i in range(size + 3):
        Conversation.objects.create(
            shop=shop,
            buyer_name=f"Buyer {i:03d}",
            buyer_email=f"b{i}@example.com",
            last_message_at=NOW - timedelta(minutes=i if i != 1 else 0),
        )
    inbox = reverse("orders:inbox", kwargs={"shop_slug": shop.slug})
    first = owner_client.get(inbox).content.decode()
    assert "Older conversations" in first and "Newest" not in first
    seen = [f"Buyer {i:03d}" for i in range(size + 3) if f"Buyer {i:03d}" in first]
    assert len(seen) == size
    after = first.split("after=")[1].split('"')[0].replace("&amp;", "&")
    second = owner_client.get(f"{inbox}?show=open&after={after}").content.decode()
    rest = [f"Buyer {i:03d}" for i in range(size + 3) if f"Buyer {i:03d}" in second]
    assert sorted(seen + rest) == [f"Buyer {i:03d}" for i in range(size + 3)]
    assert not set(seen) & set(rest)
    assert "Older conversations" not in second and "Newest" in second


def test_a_garbled_inbox_cursor_shows_the_first_page(owner_client, shop):
    thread(shop, sent=NOW - timedelta(hours=1))
    inbox = reverse("orders:inbox", kwargs={"shop_slug": shop.slug})
    response = owner_client.get(inbox + "?after=not-a-cursor~x")
    assert response.status_code == 200 and "Bea Buyer" in response.content.decode()

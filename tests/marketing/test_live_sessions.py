"""LIVE sessions: scheduling, pinning (bad input refused with nothing saved), start / pause / end
through the transition table, live prices only while live, allocation and per-buyer limits at
checkout, the dashboard, the CSV summary and the owner's reminder."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from common.errors import BadInput, Refused
from common.models import OutboxEmail
from orders.marketing.live_models import LivePin, LiveSale, LiveSession, LiveSessionStatusChange
from orders.marketing.live_reminders import live_reminders_send
from orders.marketing.live_services import (
    live_pin_save,
    live_session_end,
    live_session_pause,
    live_session_schedule,
    live_session_start,
)
from orders.marketing.models import OrderPromotion
from tests.factories import MembershipFactory, SKUFactory, UserFactory
from tests.marketing.conftest import place

pytestmark = pytest.mark.django_db


def schedule(shop, owner, *, minutes=60, start_in=timedelta(hours=1), title="Black Friday LIVE"):
    with scope(shop=shop):
        return live_session_schedule(
            shop=shop,
            actor=owner,
            title=title,
            starts_at=timezone.now() + start_in,
            expected_minutes=minutes,
        )


def pin(shop, owner, session, product, price=None, allocation=None, limit=None):
    with scope(shop=shop):
        return live_pin_save(
            shop=shop,
            actor=owner,
            session=session,
            product=product,
            live_price=None if price is None else Decimal(price),
            allocation=allocation,
            per_buyer_limit=limit,
        )


def start(shop, owner, session):
    with scope(shop=shop):
        return live_session_start(shop=shop, actor=owner, session=session)


def live_pinned(shop, owner, sku, *, on_hand, price, allocation=None, limit=None):
    """``sku`` (now ``on_hand`` in stock) pinned to a session that is live now."""
    sku.on_hand = on_hand
    sku.save()
    session = schedule(shop, owner)
    pin(shop, owner, session, sku.product, price=price, allocation=allocation, limit=limit)
    return start(shop, owner, session)


@pytest.fixture
def manager_client(client, shop):
    user = UserFactory()
    MembershipFactory(shop=shop, user=user, role="manager")
    client.force_login(user)
    return client


def test_live_price_applies_only_while_live_and_orders_keep_their_price(shop, owner, sku):
    sku.on_hand = 50
    sku.save()
    session = schedule(shop, owner)
    pin(shop, owner, session, sku.product, price="15.00")
    assert place(shop, (sku, 1)).total == place(shop, (sku, 1)).total  # regular before start
    before = place(shop, (sku, 1))
    start(shop, owner, session)
    during = place(shop, (sku, 1))
    assert during.discount == Decimal("5.00") and during.total == before.total - Decimal("5.00")
    with scope(shop=shop):
        promo = OrderPromotion.objects.get(order=during)
        assert promo.kind == "live" and promo.live_session_id == session.pk
        live_session_pause(shop=shop, actor=owner, session=session)
    assert place(shop, (sku, 1)).discount == 0  # paused: regular price
    start(shop, owner, session)
    with scope(shop=shop):
        live_session_end(shop=shop, actor=owner, session=session)
        during.refresh_from_db()
        assert during.total == before.total - Decimal("5.00")  # kept at the price it was placed
        assert list(
            LiveSessionStatusChange.objects.filter(session=session).values_list(
                "from_status", "to_status"
            )
        ) == [("scheduled", "live"), ("live", "paused"), ("paused", "live"), ("live", "ended")]
    assert place(shop, (sku, 1)).discount == 0


@pytest.mark.parametrize(
    "price, allocation, limit, message",
    [
        ("20.01", None, None, "above the regular price"),
        ("0", None, None, r"at least \$0.01"),
        ("-1", None, None, r"at least \$0.01"),
        (None, 0, None, "allocation must be at least 1"),
        (None, -3, None, "allocation must be at least 1"),
        (None, None, 0, "per-buyer limit must be at least 1"),
        (None, None, -1, "per-buyer limit must be at least 1"),
    ],
)
def test_bad_pins_are_refused_and_nothing_is_saved(
    shop, owner, sku, price, allocation, limit, message
):
    session = schedule(shop, owner)
    with pytest.raises(BadInput, match=message):
        pin(shop, owner, session, sku.product, price=price, allocation=allocation, limit=limit)
    with scope(shop=shop):
        assert not LivePin.objects.exists()


def test_a_live_price_equal_to_the_regular_price_is_allowed(shop, owner, sku):
    session = schedule(shop, owner)
    assert pin(shop, owner, session, sku.product, price="20.00").live_price == Decimal("20.00")


def test_overlapping_sessions_cannot_pin_the_same_product(shop, owner, sku):
    first = schedule(shop, owner, minutes=60)
    pin(shop, owner, first, sku.product)
    overlapping = schedule(shop, owner, start_in=timedelta(minutes=90), title="Second")
    with pytest.raises(BadInput, match="already pinned to “Black Friday LIVE”"):
        pin(shop, owner, overlapping, sku.product)
    later = schedule(shop, owner, start_in=timedelta(minutes=120), title="Later")  # starts at end
    pin(shop, owner, later, sku.product)
    with scope(shop=shop):
        assert LivePin.objects.filter(product=sku.product).count() == 2


@pytest.mark.parametrize("minutes", [0, -30])
def test_a_session_that_ends_before_it_starts_is_refused(shop, owner, minutes):
    with pytest.raises(BadInput, match="must end after it starts"):
        schedule(shop, owner, minutes=minutes)
    with scope(shop=shop):
        assert not LiveSession.objects.exists()


def test_at_most_twenty_products_are_pinned(shop, owner, override_policy):
    override_policy(live_max_pinned_products=2)
    session = schedule(shop, owner)
    skus = [SKUFactory(product__shop=shop, price=Decimal("5.00")) for _ in range(3)]
    pin(shop, owner, session, skus[0].product)
    pin(shop, owner, session, skus[1].product)
    with pytest.raises(Refused, match="at most 2 products"):
        pin(shop, owner, session, skus[2].product)


def test_allocation_and_per_buyer_limit_hold_at_checkout(shop, owner, sku):
    live_pinned(shop, owner, sku, on_hand=50, price="10.00", allocation=3, limit=2)
    place(shop, (sku, 2), email="ann@example.com")
    with pytest.raises(Refused, match="limited to 2 per buyer"):
        place(shop, (sku, 1), email="ANN@example.com")
    with pytest.raises(Refused, match="Only 1 of “Cozy Hoodie” left"):
        place(shop, (sku, 2), email="bob@example.com")
    place(shop, (sku, 1), email="bob@example.com")
    with pytest.raises(Refused, match="sold out for this LIVE"):
        place(shop, (sku, 1), email="cy@example.com")
    with scope(shop=shop):
        assert LivePin.objects.get().sold == 3
        assert sum(LiveSale.objects.values_list("quantity", flat=True)) == 3
        sku.refresh_from_db()
        assert sku.reserved == 3


def test_a_sold_out_pin_given_more_units_sells_again(shop, owner, sku):
    session = live_pinned(shop, owner, sku, on_hand=50, price="10.00", allocation=1)
    place(shop, (sku, 1), email="ann@example.com")
    for late in ("bob@example.com", "cy@example.com"):  # the second is answered from the cache
        with pytest.raises(Refused, match="sold out for this LIVE"):
            place(shop, (sku, 1), email=late)
    pin(shop, owner, session, sku.product, price="10.00", allocation=2)
    assert place(shop, (sku, 1), email="cy@example.com").discount == Decimal("10.00")


def test_transitions_follow_the_table(shop, owner):
    session = schedule(shop, owner)
    with scope(shop=shop), pytest.raises(Refused, match="scheduled session cannot pause"):
        live_session_pause(shop=shop, actor=owner, session=session)
    with scope(shop=shop):
        live_session_end(shop=shop, actor=owner, session=session)  # cancelled before it began
        session.refresh_from_db()
        assert session.status == "ended" and session.started_at is None
    with scope(shop=shop), pytest.raises(Refused, match="ended session cannot start"):
        live_session_start(shop=shop, actor=owner, session=session)


def test_pages_schedule_pin_start_and_show_the_live_price_on_the_storefront(
    manager_client, shop, sku, other_shop, client
):
    base = reverse("marketing:live_list", kwargs={"shop_slug": shop.slug})
    assert manager_client.get(base).status_code == 200
    start_at = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    bad = manager_client.post(
        base + "new/", {"title": "Show", "starts_at": start_at, "expected_minutes": "0"}
    )
    assert bad.status_code == 400 and "must end after it starts" in bad.content.decode()
    made = manager_client.post(
        base + "new/", {"title": "Show", "starts_at": start_at, "expected_minutes": "45"}
    )
    assert made.status_code == 302
    with scope(shop=shop):
        session = LiveSession.objects.get()
    detail = made["Location"]
    over = manager_client.post(detail + "pins/", {"product": sku.product_id, "live_price": "25"})
    assert over.status_code == 400 and "above the regular price" in over.content.decode()
    foreign = SKUFactory(product__shop=other_shop, price=Decimal("9.00"))
    assert manager_client.post(detail + "pins/", {"product": foreign.product_id}).status_code == 404
    ok = manager_client.post(detail + "pins/", {"product": sku.product_id, "live_price": "14.99"})
    assert ok.status_code == 302
    product_url = reverse(
        "store:product", kwargs={"store_slug": shop.slug, "product_id": sku.product_id}
    )
    assert "live-badge" not in client.get(product_url).content.decode()
    assert manager_client.post(detail + "start/").status_code == 302
    page = client.get(product_url).content.decode()
    assert "live-badge" in page and "$14.99" in page
    dashboard = manager_client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert 'id="live-dashboard"' in dashboard and "every 5s" in dashboard
    asked = manager_client.post(detail + "end/")  # the End button asks first
    assert asked.status_code == 200 and "End “Show”?" in asked.content.decode()
    with scope(shop=shop):
        session.refresh_from_db()
        assert session.status == "live"
    assert manager_client.post(detail + "end/", {"confirm": "1"}).status_code == 302
    csv = manager_client.get(detail + "summary.csv")
    assert csv.status_code == 200 and sku.product.title in csv.content.decode()
    with scope(shop=shop):
        session.refresh_from_db()
        assert session.status == "ended"


def test_the_dashboard_costs_the_same_queries_whatever_the_sales(
    manager_client, shop, owner, sku, sku2
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = schedule(shop, owner)
    pin(shop, owner, session, sku.product, price="10.00")
    start(shop, owner, session)
    url = reverse(
        "marketing:live_detail", kwargs={"shop_slug": shop.slug, "livesession_id": session.pk}
    )
    manager_client.get(url, headers={"HX-Request": "true"})  # the session and member warm up
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(url, headers={"HX-Request": "true"}).status_code == 200
        counts.append(len(queries))
        pin(shop, owner, session, sku2.product)
        place(shop, (sku, 1), (sku2, 1))
    assert counts[0] == counts[1]


def test_the_owner_is_reminded_once_thirty_minutes_before(shop, owner):
    soon = schedule(shop, owner, start_in=timedelta(minutes=29))
    schedule(shop, owner, start_in=timedelta(minutes=31), title="Later")
    assert live_reminders_send() == 1
    assert live_reminders_send() == 0
    with scope(shop=shop):
        emails = list(OutboxEmail.objects.all())
    assert len(emails) == 1 and soon.title in emails[0].subject and owner.email in emails[0].to
    assert live_reminders_send(now=timezone.now() + timedelta(minutes=2)) == 1  # "Later" now due


def test_home_counts_sessions_held_not_sessions_merely_scheduled(shop, owner):
    from orders.analytics.selectors import live_session_counts

    session = schedule(shop, owner)
    now = timezone.now()
    with scope(shop=shop):
        span = dict(
            start=now - timedelta(days=60),
            middle=now - timedelta(days=30),
            end=now + timedelta(days=1),
        )
        assert live_session_counts(shop=shop, **span) == (0, 0)
    start(shop, owner, session)
    with scope(shop=shop):
        assert live_session_counts(shop=shop, **span) == (1, 0)


def test_a_session_held_shows_in_analytics_with_what_it_sold(manager_client, shop, owner, sku):
    session = schedule(shop, owner, title="Cyber Monday LIVE")
    pin(shop, owner, session, sku.product, price="10.00")
    start(shop, owner, session)
    place(shop, (sku, 2))
    page = manager_client.get(reverse("orders:analytics_live", kwargs={"shop_slug": shop.slug}))
    body = page.content.decode()
    assert page.status_code == 200 and "Cyber Monday LIVE" in body and "20.00" in body
    csv = manager_client.get(
        reverse("orders:analytics_live", kwargs={"shop_slug": shop.slug}) + "?format=csv"
    )
    assert "Cyber Monday LIVE" in csv.content.decode()


def test_changing_a_pin_logs_the_terms_it_had_and_the_ones_it_has(shop, owner, sku):
    from accounts.models import AuditEvent

    session = schedule(shop, owner)
    pin(shop, owner, session, sku.product, price="15.00", allocation=10)
    pin(shop, owner, session, sku.product, price="12.99", allocation=10, limit=2)
    pin(shop, owner, session, sku.product, price="12.99", allocation=10, limit=2)  # no change

    events = list(AuditEvent.objects.filter(action__startswith="marketing.live_pin").order_by("id"))
    assert [e.action for e in events] == ["marketing.live_pinned", "marketing.live_pin_changed"]
    assert events[0].changes["live_price"] == ["—", "15.00"]
    assert events[1].changes["live_price"] == ["15.00", "12.99"]
    assert events[1].changes["per_buyer_limit"] == ["—", "2"]
    assert "allocation" not in events[1].changes


def test_the_chart_has_a_point_for_every_minute_of_the_session_quiet_ones_at_zero(shop, owner, sku):
    from orders.marketing.live_selectors import live_session_figures

    session = live_pinned(shop, owner, sku, on_hand=50, price="10.00")
    place(shop, (sku, 1), email="ann@example.com")
    place(shop, (sku, 2), email="bob@example.com")
    with scope(shop=shop):
        session.refresh_from_db()
        began = session.started_at.replace(second=0, microsecond=0) - timedelta(minutes=5)
        LiveSession.objects.filter(pk=session.pk).update(started_at=began)
        sales = list(LiveSale.objects.filter(session=session).order_by("id"))
        LiveSale.objects.filter(pk=sales[0].pk).update(created_at=began + timedelta(seconds=30))
        LiveSale.objects.filter(pk=sales[1].pk).update(created_at=began + timedelta(minutes=3))
        session.refresh_from_db()
        figures = live_session_figures(shop=shop, session=session, now=began + timedelta(minutes=5))

    chart = figures.chart()
    assert chart["series"]["Orders"] == [1, 0, 0, 1, 0, 0]  # minutes 0..5 of the session
    assert chart["series"]["GMV"] == [10.0, 0.0, 0.0, 20.0, 0.0, 0.0]
    assert len(chart["labels"]) == 6

"""The LIVE dashboard's conversion is a true ratio: buyers over the people who viewed a pinned
product's page or bought it (a checkout counts as a view), so buyers of the JSON checkout, who
never open the page, cannot push it past 100 %; with nobody at all it shows "—"."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope

from orders.marketing.live_selectors import conversion, live_session_figures
from orders.services.storefront import visit_record
from tests.marketing.conftest import place
from tests.marketing.test_live_sessions import live_pinned

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("buyers", "viewers", "shown"),
    [
        (0, 0, None),  # nobody: "—", not 0 %
        (0, 5, Decimal("0.0")),
        (1, 4, Decimal("25.0")),
        (4, 4, Decimal("100.0")),
        (3, 0, Decimal("100.0")),  # JSON-checkout buyers only
        (3, 1, Decimal("100.0")),  # more buyers than page viewers: never above 100 %
    ],
)
def test_conversion_is_buyers_over_viewers_or_buyers(buyers, viewers, shown):
    assert conversion(buyers=buyers, viewers=viewers) == shown


@pytest.fixture
def live(shop, owner, sku):
    return live_pinned(shop, owner, sku, on_hand=50, price="15.00")


def dashboard(client, shop, owner, session) -> str:
    client.force_login(owner)
    url = reverse(
        "marketing:live_detail", kwargs={"shop_slug": shop.slug, "livesession_id": session.pk}
    )
    return client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_nobody_yet_shows_a_dash(client, shop, owner, live):
    page = dashboard(client, shop, owner, live)
    assert '<strong id="live-conversion">—</strong>' in page


def test_the_chart_appears_with_the_first_order_not_before(client, shop, owner, sku, live):
    page = dashboard(client, shop, owner, live)
    assert 'id="live-chart"' not in page
    assert "No orders yet" in page
    place(shop, (sku, 1), email="ann@example.com")
    page = dashboard(client, shop, owner, live)
    assert 'id="live-chart"' in page and "No orders yet" not in page


def test_json_checkout_buyers_without_a_page_view_stay_at_100_percent(
    client, shop, owner, sku, live
):
    # One shopper viewed the page (and did not buy); three bought through the JSON checkout,
    # one of them twice: three buyers out of at least three people.
    with scope(shop=shop):
        visit_record(shop=shop, product=sku.product, visitor_key="browser-1", source="live")
    for email in ("ann@example.com", "bo@example.com", "cy@example.com", "Ann@example.com"):
        place(shop, (sku, 1), email=email)
    with scope(shop=shop):
        figures = live_session_figures(shop=shop, session=live)
    assert (figures.orders, figures.buyers, figures.visitors) == (4, 3, 1)
    assert figures.conversion == Decimal("100.0")
    assert figures.pins[0].conversion == Decimal("100.0")
    assert '<strong id="live-conversion">100.0%</strong>' in dashboard(client, shop, owner, live)


def test_page_viewers_who_do_not_buy_lower_it(shop, owner, sku, live):
    with scope(shop=shop):
        for n in range(4):
            visit_record(shop=shop, product=sku.product, visitor_key=f"browser-{n}", source="live")
    place(shop, (sku, 1), email="ann@example.com")
    with scope(shop=shop):
        figures = live_session_figures(shop=shop, session=live)
    assert figures.conversion == Decimal("25.0")

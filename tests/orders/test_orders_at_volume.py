"""Orders at volume: pages that go both ways and say where you are, orders ticked in bulk for
packing slips or shipping, and returns that can be searched, paged and lead to their order."""

from datetime import timedelta
from urllib.parse import parse_qs, urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from orders.models import Order
from tests.factories import OrderFactory, OrderLineFactory
from tests.orders.aftersales import delivered_order, open_return

pytestmark = pytest.mark.django_db


def list_url(shop, name="orders:order_list", **params):
    url = reverse(name, kwargs={"shop_slug": shop.slug})
    return url + ("?" + urlencode(params, doseq=True) if params else "")


def link(html: str, rel: str) -> dict | None:
    marker = f'rel="{rel}"'
    if marker not in html:
        return None
    tag = html[: html.index(marker)]
    href = tag[tag.rindex('href="?') + 7 :].split('"')[0].replace("&amp;", "&")
    return {k: v[0] for k, v in parse_qs(href).items()}


def test_the_order_pager_goes_both_ways_and_says_where_you_are(shop, owner_client):
    base = timezone.now()
    for i in range(120):
        OrderFactory(shop=shop, placed_at=base - timedelta(minutes=i))
    first = owner_client.get(list_url(shop)).content.decode()
    assert "1\u201350 of 120" in first and link(first, "prev") is None
    second = owner_client.get(list_url(shop, **link(first, "next"))).content.decode()
    assert "51\u2013100 of 120" in second
    third = owner_client.get(list_url(shop, **link(second, "next"))).content.decode()
    assert "101\u2013120 of 120" in third and link(third, "next") is None
    back = owner_client.get(list_url(shop, **link(third, "prev")))
    again = owner_client.get(list_url(shop, **link(first, "next")))
    assert [o.pk for o in back.context["page"].orders] == [
        o.pk for o in again.context["page"].orders
    ]
    assert "51\u2013100 of 120" in back.content.decode()
    top = owner_client.get(list_url(shop, **link(second, "prev"))).content.decode()
    assert "1\u201350 of 120" in top and link(top, "prev") is None


def test_a_search_counts_its_matches_up_to_a_limit(shop, owner_client):
    for _ in range(3):
        OrderFactory(shop=shop, buyer_name="Ada Lovelace")
    OrderFactory(shop=shop, buyer_name="Someone Else")
    page = owner_client.get(list_url(shop, q="ada")).content.decode()
    assert "1\u20133 of 3" in page


def test_ticked_orders_print_their_packing_slips_on_one_page(shop, owner_client, other_shop):
    mine = [OrderLineFactory(order=OrderFactory(shop=shop)).order for _ in range(3)]
    theirs = OrderFactory(shop=other_shop)
    ids = [o.pk for o in mine[:2]] + [theirs.pk]
    html = owner_client.get(list_url(shop, "orders:order_packing_slips", ids=ids)).content
    html = html.decode()
    assert html.count('class="slip"') == 2
    assert mine[0].number in html and mine[1].number in html and mine[2].number not in html
    assert theirs.number not in html  # another shop's id is simply not found


def test_ticked_orders_are_marked_shipped_through_the_fulfillment_service(shop, owner_client, sku):
    from tests.orders.conftest import place

    with scope(shop=shop):
        a, b = place(shop, (sku, 1)), place(shop, (sku, 1))
    url = list_url(shop, "orders:order_bulk_mark_shipped")
    form = owner_client.get(url + "?" + urlencode({"ids": [a.pk, b.pk]}, doseq=True)).content
    assert b'for="tracking-%d"' % a.pk in form and b"Mark 2 shipped" in form
    refused = owner_client.post(
        url,
        {
            "ids": [a.pk, b.pk],
            f"carrier_{a.pk}": "ups",
            f"tracking_{a.pk}": "1Z999AA10123456784",
            f"carrier_{b.pk}": "ups",
            f"tracking_{b.pk}": "nope",
        },
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "That is not a UPS tracking number" in html and "1 order shipped" in html
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == Order.Status.AWAITING_COLLECTION and b.status in Order.TO_SHIP
    done = owner_client.post(
        url, {"ids": [b.pk], f"carrier_{b.pk}": "ups", f"tracking_{b.pk}": "1Z999AA10123456785"}
    )
    assert done.status_code == 302
    b.refresh_from_db()
    assert b.status == Order.Status.AWAITING_COLLECTION


def test_returns_are_searched_paged_and_link_to_their_order(shop, owner_client):
    made = []
    with scope(shop=shop):
        for n in range(55):
            order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=1))
            if n == 0:
                order.buyer_name = "Zelda Zimmer"
                order.save(update_fields=["buyer_name"])
            made.append(
                open_return(shop, order, kind="refund_only", reason="Other", now=timezone.now())
            )
    url = list_url(shop, "orders:return_list")
    first = owner_client.get(url).content.decode()
    assert "1\u201350 of 55" in first and 'rel="next"' in first
    second = owner_client.get(url + "?page=2").content.decode()
    assert "51\u201355 of 55" in second
    order = made[0].order
    found = owner_client.get(url + "?q=zelda").content.decode()
    assert "1\u20131 of 1" in found
    detail = reverse("orders:order_detail", kwargs={"shop_slug": shop.slug, "order_id": order.pk})
    assert f'<a href="{detail}">{order.number}</a>' in found
    by_number = owner_client.get(url + "?q=" + order.number.lower()).content.decode()
    assert f"#{made[0].pk}<" in by_number and "1\u20131 of 1" in by_number

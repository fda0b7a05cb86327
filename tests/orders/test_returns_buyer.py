"""The buyer's return page, reached with the signed order link."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from orders.buyer_links import buyer_order_token as make_buyer_token
from orders.buyer_links import order_from_buyer_token
from orders.returns import services as svc
from orders.returns.models import ReturnRequest, refundable_cap, return_policy_for
from tests.orders.aftersales import delivered_order, open_return, png

pytestmark = pytest.mark.django_db


def buyer_url(order):
    return reverse(
        "orders_buyer:returns",
        kwargs={"store_slug": order.shop.slug, "token": make_buyer_token(order)},
    )


def test_token_round_trip_and_foreign_shop_refused(shop, other_shop):
    from django.http import Http404

    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=timezone.now())
        assert order_from_buyer_token(shop, make_buyer_token(order)) == order
        with pytest.raises(Http404):
            order_from_buyer_token(other_shop, make_buyer_token(order))


def test_buyer_requests_a_return_with_a_photo(client, shop, owner):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=2))
        line = order.lines.get()
    response = client.post(
        buyer_url(order),
        {
            "action": "request",
            "line": line.pk,
            "kind": "return_and_refund",
            "reason": "Wrong size",
            "note": "Too small",
            "photos": [png()],
        },
    )
    assert response.status_code == 302
    with scope(shop=shop):
        request = ReturnRequest.objects.get(line=line)
        assert request.note == "Too small" and request.photos.count() == 1
    page = client.get(buyer_url(order)).content.decode()
    assert "Requested" in page and "Request a return" not in page


def test_second_request_for_the_line_shows_a_clear_error(client, shop):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=2))
        line = order.lines.get()
    data = {"action": "request", "line": line.pk, "kind": "refund_only", "reason": "Wrong size"}
    client.post(buyer_url(order), data)
    response = client.post(buyer_url(order), data)
    assert response.status_code == 400
    assert "already been requested for this item" in response.content.decode()
    with scope(shop=shop):
        assert ReturnRequest.objects.count() == 1


def test_request_after_the_window_shows_when_it_closed(client, shop):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=40))
        data = {
            "action": "request",
            "line": order.lines.get().pk,
            "kind": "refund_only",
            "reason": "Wrong size",
        }
    response = client.post(buyer_url(order), data)
    assert response.status_code == 400
    assert "The return window for this order closed on" in response.content.decode()
    with scope(shop=shop):
        assert not ReturnRequest.objects.exists()


def test_buyer_ships_back_and_escalates_a_rejected_receipt(client, shop, owner):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=2))
        request = open_return(
            shop, order, kind="return_and_refund", reason="Other", now=timezone.now()
        )
        svc.return_approve(shop=shop, actor=owner, return_request=request)
        line = order.lines.get().pk
    client.post(
        buyer_url(order), {"action": "ship", "line": line, "carrier": "USPS", "tracking": "9400"}
    )
    request.refresh_from_db()
    assert request.status == "buyer_shipped" and request.return_tracking == "9400"
    with scope(shop=shop):
        svc.return_reject_receipt(shop=shop, actor=owner, return_request=request, reason="Used")
    client.post(buyer_url(order), {"action": "escalate", "line": line, "note": "Unworn!"})
    request.refresh_from_db()
    assert request.status == "escalated"
    with scope(shop=shop):
        assert refundable_cap(request, return_policy_for(shop)) == Decimal("100.00")


def test_seller_sees_buyer_photos_but_another_shop_does_not(
    owner_client, shop, client, other_owner
):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=2))
        request = open_return(
            shop, order, kind="refund_only", reason="Other", now=timezone.now(), photos=[png()]
        )
        photo = request.photos.get()
    url = reverse(
        "orders:return_photo", kwargs={"shop_slug": shop.slug, "return_photo_id": photo.pk}
    )
    response = owner_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    client.force_login(other_owner)
    assert client.get(url).status_code == 404


def test_the_order_page_from_the_confirmation_email_leads_to_returns_and_messages(client, shop):
    from django.urls import reverse

    from orders.buyer_links import buyer_order_token
    from tests.factories import OrderFactory

    order = OrderFactory(shop=shop, status="delivered")
    token = buyer_order_token(order)
    page = client.get(
        reverse("store:buyer_order", kwargs={"store_slug": shop.slug, "token": token})
    ).content.decode()
    returns_url = reverse("orders_buyer:returns", kwargs={"store_slug": shop.slug, "token": token})
    messages_url = reverse(
        "orders_buyer:order_messages", kwargs={"store_slug": shop.slug, "token": token}
    )
    assert returns_url in page and messages_url in page
    assert client.get(returns_url).status_code == 200
    assert client.get(messages_url).status_code == 200


def test_a_return_photo_missing_from_storage_is_a_404_for_the_seller(owner_client, shop):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=2))
        request = open_return(
            shop, order, kind="refund_only", reason="Other", now=timezone.now(), photos=[png()]
        )
        photo = request.photos.get()
        photo.image.storage.delete(photo.image.name)
    url = reverse(
        "orders:return_photo", kwargs={"shop_slug": shop.slug, "return_photo_id": photo.pk}
    )
    assert owner_client.get(url).status_code == 404

"""Returns on the seller's pages (SPEC §7): list and tabs, refund and approve refusals, the
policy page, the buyer's emails, rejecting a receipt with photos."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

from orders.returns import services as svc
from orders.returns.models import ReturnPolicy, ReturnRequest
from orders.returns.selectors import open_returns_count
from tests.orders.aftersales import at, delivered_order, open_return, png

pytestmark = pytest.mark.django_db
S = ReturnRequest.Status


# --- Seller pages -------------------------------------------------------------------------------


def test_returns_list_has_tabs_with_counts_and_the_open_count(owner_client, shop, owner):
    with scope(shop=shop):
        a = open_return(shop, delivered_order(shop, delivered_at=at(2026, 3, 1)))
        open_return(shop, delivered_order(shop, delivered_at=at(2026, 3, 1)))
        svc.return_reject(shop=shop, actor=owner, return_request=a, reason="No")
    response = owner_client.get(reverse("orders:return_list", kwargs={"shop_slug": shop.slug}))
    html = response.content.decode()
    assert 'Requested <span class="count">1</span>' in html
    assert 'Rejected <span class="count">1</span>' in html
    assert 'All <span class="count">2</span>' in html
    with scope(shop=shop):
        assert open_returns_count(shop=shop) == 1
    filtered = owner_client.get(
        reverse("orders:return_list", kwargs={"shop_slug": shop.slug}) + "?status=rejected"
    )
    assert f"#{a.pk}<" in filtered.content.decode()


def test_seller_refund_page_refuses_too_much_with_a_clear_error(owner_client, shop, owner):
    with scope(shop=shop):
        request = open_return(
            shop, delivered_order(shop, delivered_at=at(2026, 3, 1)), kind="refund_only"
        )
        svc.return_approve(shop=shop, actor=owner, return_request=request)
    url = reverse(
        "orders:return_act", kwargs={"shop_slug": shop.slug, "return_request_id": request.pk}
    )
    response = owner_client.post(url, {"action": "refund", "amount": "150.00"})
    assert response.status_code == 400
    assert "The refund can be at most $100.00" in response.content.decode()
    request.refresh_from_db()
    assert request.status == S.APPROVED


def test_seller_approve_twice_shows_the_refusal(owner_client, shop):
    request = open_return(shop, delivered_order(shop, delivered_at=at(2026, 3, 1)))
    url = reverse(
        "orders:return_act", kwargs={"shop_slug": shop.slug, "return_request_id": request.pk}
    )
    owner_client.post(url, {"action": "reject", "reason": "Used item"})
    response = owner_client.post(url, {"action": "approve"}, follow=True)
    assert "This return is rejected; it cannot be approved." in response.content.decode()


def test_staff_role_cannot_open_returns(client, shop):
    from tests.factories import MembershipFactory

    staff = MembershipFactory(shop=shop, role="staff").user
    client.force_login(staff)
    response = client.get(reverse("orders:return_list", kwargs={"shop_slug": shop.slug}))
    assert response.status_code == 403


def test_policy_page_saves_and_refuses_fee_over_100_percent(owner_client, shop):
    url = reverse("orders:return_policy", kwargs={"shop_slug": shop.slug})
    data = {
        "window_days": "14",
        "return_shipping_paid_by": "seller",
        "refund_original_shipping": "on",
        "restocking_fee_kind": "percent",
        "restocking_fee_value": "120",
    }
    assert owner_client.post(url, data).status_code == 400
    with scope(shop=shop):
        assert not ReturnPolicy.objects.filter(shop=shop).exists()
    owner_client.post(url, data | {"restocking_fee_value": "10"})
    with scope(shop=shop):
        saved = ReturnPolicy.objects.get(shop=shop)
    assert saved.window_days == 14 and saved.return_shipping_paid_by == "seller"


def test_buyer_is_emailed_the_sellers_decision(shop, owner, django_capture_on_commit_callbacks):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        request = open_return(shop, order)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            svc.return_reject(
                shop=shop, actor=owner, return_request=request, reason="Item was worn"
            )
    assert mail.outbox[-1].to == [order.buyer_email]
    assert "declined your return request: Item was worn" in mail.outbox[-1].body


def test_seller_rejects_a_receipt_with_photos_from_the_page(owner_client, shop, owner):
    with scope(shop=shop):
        request = open_return(shop, delivered_order(shop, delivered_at=at(2026, 3, 1)))
        svc.return_approve(shop=shop, actor=owner, return_request=request)
        svc.return_buyer_ship(shop=shop, return_request=request, carrier="UPS", tracking="1")
    url = reverse(
        "orders:return_act", kwargs={"shop_slug": shop.slug, "return_request_id": request.pk}
    )
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    refused = owner_client.post(
        url, {"action": "reject_receipt", "reason": "Torn", "photos": [fake]}
    )
    assert refused.status_code == 400 and "not a photo we can read" in refused.content.decode()
    request.refresh_from_db()
    assert request.status == S.BUYER_SHIPPED
    owner_client.post(url, {"action": "reject_receipt", "reason": "Torn", "photos": [png(), png()]})
    request.refresh_from_db()
    assert request.status == S.RECEIPT_REJECTED and request.receipt_rejection_reason == "Torn"
    with scope(shop=shop):
        assert request.photos.filter(stage="receipt").count() == 2

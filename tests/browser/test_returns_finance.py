"""Returns, customer service and finance, driven as a buyer and a seller would."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from PIL import Image

from catalog.models import Category
from common.clock import local_date
from orders.buyer_links import buyer_order_token as make_buyer_token
from orders.finance.models import CommissionRate
from orders.finance.tasks import finance_settle_task
from orders.inbox import services as inbox_svc
from orders.returns import services as returns_svc
from orders.returns.models import ReturnPolicy, ReturnRequest
from orders.returns.tasks import returns_auto_approve_task
from orders.signals import order_status_changed
from tests.browser.conftest import screenshot, sign_in
from tests.factories import MembershipFactory, OrderFactory, ShopFactory, UserFactory
from tests.orders.aftersales import delivered_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def seller_shop():
    shop = ShopFactory(name="Sunny Threads", slug="sunny")
    seller = UserFactory(email="sam@seller.test", full_name="Sam Seller")
    MembershipFactory(user=seller, shop=shop, role="owner")
    return shop, seller


def test_buyer_return_seller_restocks_and_partly_refunds_finance_adds_up(
    page, password, seller_shop
):
    shop, seller = seller_shop
    shirts = Category.objects.create(name="Shirts", slug="shirts")
    CommissionRate.objects.create(region="US", category=shirts, rate=Decimal("0.0800"))
    ReturnPolicy.objects.create(
        shop=shop, window_days=30, restocking_fee_kind="percent", restocking_fee_value=10
    )
    order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=3), category=shirts)
    with scope(shop=shop):
        sku = order.lines.get().sku
    buyer_link = reverse(
        "orders_buyer:returns", kwargs={"store_slug": shop.slug, "token": make_buyer_token(order)}
    )

    # The buyer opens the signed link from their order page and asks for a return.
    page.goto(buyer_link)
    assert "Return or refund" in page.content()
    page.select_option("select[name=kind]", "return_and_refund")
    page.select_option("select[name=reason]", "Wrong size")
    page.fill("textarea[name=note]", "Runs small, would like a refund.")
    page.set_input_files(
        "input[name=photos]",
        files=[{"name": "fit.png", "mimeType": "image/png", "buffer": png_bytes()}],
    )
    screenshot(page, "returns-0-buyer-form")
    page.click("text=Send request")
    page.wait_for_selector("text=Your return request was sent to the shop.")
    screenshot(page, "returns-1-buyer-requested")

    # The seller signs in, finds it under Returns and approves.
    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    page.click("nav.sidenav >> text=Returns")
    assert "Requested" in page.locator(".tabs").inner_text()
    screenshot(page, "returns-1b-seller-list")
    page.click("table >> text=#")
    assert "Answer by" in page.content()
    page.click("button:has-text('Approve return')")
    page.wait_for_selector("text=Return approved.")

    # The buyer ships it back with a tracking number.
    page.goto(buyer_link)
    page.fill("input[name=tracking]", "1Z999AA10123456784")
    page.click("text=I have shipped it back")
    page.wait_for_selector("text=the shop now expects your parcel")

    # The seller receives it, puts it back in stock, and refunds part of it.
    with scope(shop=shop):
        return_request = ReturnRequest.objects.get(order=order)
    page.goto(
        reverse(
            "orders:return_detail",
            kwargs={"shop_slug": shop.slug, "return_request_id": return_request.pk},
        )
    )
    assert "1Z999AA10123456784" in page.content()
    assert page.is_checked("#id_restock")
    page.click("button:has-text('Mark as received')")
    page.wait_for_selector("text=Item received and put back in stock.")
    page.fill("#id_amount", "140.00")
    page.click("button:has-text('Refund buyer')")
    page.wait_for_selector("text=The refund can be at most $100.00")
    page.fill("#id_amount", "40.00")
    page.click("button:has-text('Refund buyer')")
    # Asked once more, with what the buyer gets back after the fee.
    assert "Refund $36.00 to" in page.inner_text("#refund-confirm h1")
    page.click("button:has-text('Yes, refund $36.00')")
    page.wait_for_selector("text=Refunded $36.00 to the buyer.")  # 40.00 less the 10% fee
    screenshot(page, "returns-2-seller-refunded")
    sku.refresh_from_db()
    assert sku.on_hand == 6

    # The order completes (the lifecycle's signal) and its hold ends (the beat task).
    order.status = "completed"
    order.save(update_fields=["status"])
    order_status_changed.send(
        sender=type(order),
        shop=shop,
        order=order,
        from_status="delivered",
        to_status="completed",
        actor=None,
    )
    page.click("nav.sidenav >> text=Finance")
    # 100.00 paid − 36.00 refunded − 8% commission on the 54.00 kept (4.32) = 59.68 pending.
    assert page.inner_text("#balance-pending") == "$59.68"
    assert page.inner_text("#balance-available") == "$0.00"
    finance_settle_task(as_of=(timezone.now() + timedelta(days=7, minutes=1)).isoformat())
    page.reload()
    assert page.inner_text("#balance-pending") == "$0.00"
    assert page.inner_text("#balance-available") == "$59.68"
    screenshot(page, "returns-3-finance")

    page.goto(reverse("orders:return_policy", kwargs={"shop_slug": shop.slug}))
    screenshot(page, "returns-4-policy")
    month = local_date(timezone.now())
    page.goto(
        reverse("orders:finance_statement", kwargs={"shop_slug": shop.slug})
        + f"?month={month:%Y-%m}"
    )
    totals = page.inner_text("#statement-totals")
    assert "Sale\n$100.00" in totals.replace("\t", "\n")
    assert "Commission\n\u2212$4.32" in totals.replace("\t", "\n")
    assert "Refund\n\u2212$36.00" in totals.replace("\t", "\n")
    screenshot(page, "returns-5-statement")
    with page.expect_download() as download:
        page.click("text=Download CSV")
    csv = download.value.path().read_text()
    assert f",Commission,Pending,{order.number},Commission on order {order.number},-4.32" in csv
    assert ",Refund,Pending," in csv and ",-36.00" in csv


def test_unanswered_return_is_auto_approved_by_the_beat_task(page, password, seller_shop):
    shop, seller = seller_shop
    order = delivered_order(shop, delivered_at=timezone.now() - timedelta(days=5))
    requested = timezone.now() - timedelta(days=3)
    with scope(shop=shop):  # the buyer's return page works in the shop's scope
        request = returns_svc.return_open(
            shop=shop,
            order=order,
            line=order.lines.get(),
            kind="refund_only",
            reason="Damaged in transit",
            now=requested,
        )
    returns_auto_approve_task(on_date=(local_date(requested) + timedelta(days=3)).isoformat())

    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    page.goto(
        reverse(
            "orders:return_detail",
            kwargs={"shop_slug": shop.slug, "return_request_id": request.pk},
        )
    )
    assert page.inner_text("#return-status") == "Approved"
    assert "Approved automatically: no answer within 2 days" in page.content()
    assert page.is_visible("button:has-text('Refund buyer')")


def test_answer_after_30_hours_lowers_the_response_rate(page, password, seller_shop):
    shop, seller = seller_shop
    now = timezone.now()
    OrderFactory(shop=shop)  # a shop with orders: Home shows its figures, not the first steps
    with scope(shop=shop):
        OrderFactory(shop=shop, placed_at=now - timedelta(days=3))  # a selling shop's Home
        for hours in (50, 60, 70):
            conversation = inbox_svc.conversation_start(
                shop=shop,
                buyer_name="Quick Question",
                buyer_email="q@example.com",
                body="Do you ship to Alaska?",
                now=now - timedelta(hours=hours),
            )
            inbox_svc.message_reply(
                shop=shop,
                actor=seller,
                conversation=conversation,
                body="Yes!",
                now=now - timedelta(hours=hours - 2),
            )

    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    home_tile = "[data-tile=response_rate] .tile-value"
    assert page.inner_text(home_tile) == "100.0%"
    page.click("nav.sidenav >> text=Customer service")
    assert "100.0%" in page.inner_text("#response-rate")
    assert not page.is_visible("text=below the 80% guideline")

    with scope(shop=shop):
        late = inbox_svc.conversation_start(
            shop=shop,
            buyer_name="Dana Late",
            buyer_email="dana@example.com",
            body="Is the linen shirt pre-shrunk?",
            now=now - timedelta(hours=30),
        )
    page.reload()
    page.click(".inbox-list >> text=Dana Late")
    page.evaluate("window.__noReload = true")
    page.fill("#id_body", "Sorry for the wait: yes, it is pre-shrunk.")
    page.click("button:has-text('Send reply')")
    page.wait_for_selector(".msg.from-seller >> text=Sorry for the wait")
    assert page.evaluate("window.__noReload") is True  # htmx swapped the thread in place
    with scope(shop=shop):
        assert late.messages.filter(from_buyer=False).count() == 1

    page.reload()
    assert "75.0%" in page.inner_text("#response-rate")
    assert "3 of 4 answered within 24 h" in page.inner_text("#response-rate")
    assert page.is_visible("text=below the 80% guideline")
    screenshot(page, "inbox-response-rate")
    # The Home tile shows the same drop, with its warning.
    page.click("nav.sidenav >> text=Home")
    assert page.inner_text(home_tile) == "75.0%"
    assert "tile-warn" in page.get_attribute("[data-tile=response_rate]", "class")
    screenshot(page, "home-response-rate")


def test_inbox_and_finance_fit_a_phone(page, password, seller_shop):
    shop, seller = seller_shop
    with scope(shop=shop):
        conversation = inbox_svc.conversation_start(
            shop=shop,
            buyer_name="Phone Buyer",
            buyer_email="p@example.com",
            body="A fairly long question about sizes, colours and delivery times " * 3,
        )
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    for name, kwargs in (
        ("orders:inbox_conversation", {"conversation_id": conversation.pk}),
        ("orders:finance", {}),
        ("orders:return_list", {}),
    ):
        page.goto(reverse(name, kwargs={"shop_slug": shop.slug, **kwargs}))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    page.goto(
        reverse(
            "orders:inbox_conversation",
            kwargs={"shop_slug": shop.slug, "conversation_id": conversation.pk},
        )
    )
    screenshot(page, "inbox-phone")

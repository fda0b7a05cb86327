"""Returns and refunds (SPEC §7): window, states, refunds, restock, auto-approval.

The seller's pages: test_returns_pages.py."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

from catalog.models import StockMovement
from common.errors import DomainError
from orders.finance.models import LedgerEntry
from orders.returns import services as svc
from orders.returns.deadlines import returns_auto_approve
from orders.returns.models import ReturnPolicy, ReturnRequest, refundable_cap, return_policy_for
from shops.models import ActivityEvent
from tests.orders.aftersales import at, delivered_order, open_return, png

pytestmark = pytest.mark.django_db
S = ReturnRequest.Status


# --- The return window ------------------------------------------------------------------------


def test_request_on_day_30_is_accepted_and_day_31_refused(shop):
    delivered = at(2026, 3, 1, 9)
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=delivered)
        day_30_late = at(2026, 3, 31, 23, 59)
        assert open_return(shop, order, now=day_30_late).status == S.REQUESTED

        other = delivered_order(shop, delivered_at=delivered)
        with pytest.raises(DomainError, match="return window for this order closed on Mar 31"):
            open_return(shop, other, now=at(2026, 4, 1, 0, 1))
        assert not ReturnRequest.objects.filter(order=other).exists()


def test_the_shops_own_window_applies(shop):
    ReturnPolicy.objects.create(shop=shop, window_days=7)
    order = delivered_order(shop, delivered_at=at(2026, 3, 1))
    with pytest.raises(DomainError, match="7 days after delivery"):
        open_return(shop, order, now=at(2026, 3, 9))
    assert open_return(shop, order, now=at(2026, 3, 8)).pk


def test_no_return_before_delivery(shop):
    order = delivered_order(shop, delivered_at=at(2026, 3, 1), status="in_transit")
    with pytest.raises(DomainError, match="once the order has been delivered"):
        open_return(shop, order)


def test_second_request_for_the_same_line_is_refused_even_after_rejection(shop, owner):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        first = open_return(shop, order)
        svc.return_reject(shop=shop, actor=owner, return_request=first, reason="Worn")
        with pytest.raises(DomainError, match="already been requested for this item"):
            open_return(shop, order)
        assert ReturnRequest.objects.filter(order=order).count() == 1


def test_a_new_request_emails_the_shop_once_and_a_refused_one_emails_nobody(
    shop, owner, django_capture_on_commit_callbacks
):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        with django_capture_on_commit_callbacks(execute=True):
            open_return(shop, order)
        [email] = mail.outbox
        assert email.to == [owner.email]
        assert email.subject == f"New return request for order {order.number}"
        assert "Answer by Mar 4" in email.body  # asked Mar 2; the warning goes out that day
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
            open_return(shop, order)
        assert len(mail.outbox) == 1


def test_photos_are_checked_by_content(shop):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image", content_type="image/png")
        with pytest.raises(DomainError, match="not a photo we can read"):
            open_return(shop, order, photos=[fake])
        assert not ReturnRequest.objects.filter(order=order).exists()
        request = open_return(shop, order, photos=[png()])
        assert request.photos.get().content_type == "image/png"


# --- States -----------------------------------------------------------------------------------


def test_full_return_path_writes_history_restocks_and_books_refund(shop, owner):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        line = order.lines.get()
        request = open_return(shop, order)
        svc.return_approve(shop=shop, actor=owner, return_request=request)
        svc.return_buyer_ship(shop=shop, return_request=request, carrier="UPS", tracking="1Z999")
        svc.return_receive(shop=shop, actor=owner, return_request=request, restock=True)
        refunded = svc.return_refund(
            shop=shop, actor=owner, return_request=request, amount=Decimal("40.00")
        )

        assert refunded.status == S.REFUNDED and refunded.refund_amount == Decimal("40.00")
        assert [h.to_status for h in refunded.history.all()] == [
            "requested",
            "approved",
            "buyer_shipped",
            "received",
            "refunded",
        ]
        line.sku.refresh_from_db()
        assert line.sku.on_hand == 6  # 5 + the returned unit
        movement = StockMovement.objects.get(sku=line.sku)
        assert movement.reason == "return_restock" and movement.reference == order.number
        refund = LedgerEntry.objects.get(kind="refund")
        assert refund.amount == Decimal("-40.00") and refund.bucket == "pending"
        # Every seller step (approve, receive, refund) is "processed an order" activity.
        assert ActivityEvent.objects.filter(shop=shop, kind="order_processed").count() == 3


def test_receiving_without_restock_leaves_stock_alone(shop, owner):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        request = open_return(shop, order)
        svc.return_approve(shop=shop, actor=owner, return_request=request)
        svc.return_buyer_ship(shop=shop, return_request=request, carrier="UPS", tracking="1Z1")
        svc.return_receive(shop=shop, actor=owner, return_request=request, restock=False)
        assert not StockMovement.objects.exists()


def test_approving_a_rejected_request_is_refused(shop, owner):
    with scope(shop=shop):
        request = open_return(shop, delivered_order(shop, delivered_at=at(2026, 3, 1)))
        svc.return_reject(shop=shop, actor=owner, return_request=request, reason="Used")
        with pytest.raises(DomainError, match="is rejected; it cannot be approved"):
            svc.return_approve(shop=shop, actor=owner, return_request=request)
        request.refresh_from_db()
        assert request.status == S.REJECTED and request.history.count() == 2


def test_rejection_needs_a_reason(shop, owner):
    request = open_return(shop, delivered_order(shop, delivered_at=at(2026, 3, 1)))
    with pytest.raises(DomainError, match="reason"):
        svc.return_reject(shop=shop, actor=owner, return_request=request, reason="  ")
    request.refresh_from_db()
    assert request.status == S.REQUESTED


def test_refund_only_is_refunded_straight_after_approval(shop, owner):
    with scope(shop=shop):
        request = open_return(
            shop, delivered_order(shop, delivered_at=at(2026, 3, 1)), kind="refund_only"
        )
        svc.return_approve(shop=shop, actor=owner, return_request=request)
        with pytest.raises(DomainError, match="no parcel"):
            svc.return_buyer_ship(shop=shop, return_request=request, carrier="UPS", tracking="1")
        done = svc.return_refund(
            shop=shop, actor=owner, return_request=request, amount=Decimal("100")
        )
    assert done.refund_amount == Decimal("100.00")


def test_refund_above_what_was_paid_is_refused_and_nothing_is_written(shop, owner):
    with scope(shop=shop):
        # 90.00 item + 10.00 shipping; the default policy refunds the item's shipping share.
        request = open_return(
            shop, delivered_order(shop, delivered_at=at(2026, 3, 1)), kind="refund_only"
        )
        svc.return_approve(shop=shop, actor=owner, return_request=request)
        with pytest.raises(DomainError, match=r"at most \$100.00"):
            svc.return_refund(
                shop=shop, actor=owner, return_request=request, amount=Decimal("100.01")
            )
        request.refresh_from_db()
        assert request.status == S.APPROVED and request.refund_amount is None
        assert not LedgerEntry.objects.exists()


def test_cap_excludes_shipping_when_the_policy_does_not_refund_it(shop, owner):
    with scope(shop=shop):
        ReturnPolicy.objects.create(shop=shop, window_days=30, refund_original_shipping=False)
        order = delivered_order(
            shop,
            delivered_at=at(2026, 3, 1),
            prices=(Decimal("60.00"), Decimal("40.00")),
            discount=Decimal("10.00"),
        )
        request = open_return(shop, order, kind="refund_only", line=order.lines.first())
        # 60.00 less its 60% share of the 10.00 discount.
        assert refundable_cap(request, return_policy_for(shop)) == Decimal("54.00")


@pytest.mark.parametrize(
    ("kind", "value", "refund", "fee"),
    [
        ("percent", Decimal("10"), Decimal("40.00"), Decimal("4.00")),
        ("fixed", Decimal("15.00"), Decimal("40.00"), Decimal("15.00")),
        ("fixed", Decimal("15.00"), Decimal("12.00"), Decimal("12.00")),  # never above the refund
    ],
)
def test_restocking_fee(shop, owner, kind, value, refund, fee):
    with scope(shop=shop):
        ReturnPolicy.objects.create(
            shop=shop, window_days=30, restocking_fee_kind=kind, restocking_fee_value=value
        )
        request = open_return(shop, delivered_order(shop, delivered_at=at(2026, 3, 1)))
        svc.return_approve(shop=shop, actor=owner, return_request=request)
        svc.return_buyer_ship(shop=shop, return_request=request, carrier="UPS", tracking="1")
        svc.return_receive(shop=shop, actor=owner, return_request=request, restock=False)
        done = svc.return_refund(shop=shop, actor=owner, return_request=request, amount=refund)
    assert done.restocking_fee == fee and done.refund_amount == refund - fee


def test_receipt_rejected_escalated_and_decided_by_staff(shop, owner, admin_user):
    with scope(shop=shop):
        request = open_return(shop, delivered_order(shop, delivered_at=at(2026, 3, 1)))
        svc.return_approve(shop=shop, actor=owner, return_request=request)
        svc.return_buyer_ship(shop=shop, return_request=request, carrier="UPS", tracking="1")
        svc.return_reject_receipt(
            shop=shop, actor=owner, return_request=request, reason="Water damage", photos=[png()]
        )
        svc.return_escalate(shop=shop, return_request=request, note="It was fine when I sent it")
    request.refresh_from_db()
    assert request.status == S.ESCALATED
    done = svc.return_staff_decide(actor=admin_user, return_request=request, for_buyer=True)
    assert done.status == S.REFUNDED and done.refund_amount == Decimal("100.00")
    with scope(shop=shop):
        assert done.history.last().actor_kind == "staff"


def test_staff_admin_action_upholds_the_rejection(client, admin_user, shop, owner):
    from tests.factories import sign_in_verified

    sign_in_verified(client, admin_user)
    admin_client = client
    with scope(shop=shop):
        request = open_return(shop, delivered_order(shop, delivered_at=at(2026, 3, 1)))
        svc.return_approve(shop=shop, actor=owner, return_request=request)
        svc.return_buyer_ship(shop=shop, return_request=request, carrier="UPS", tracking="1")
        svc.return_reject_receipt(shop=shop, actor=owner, return_request=request, reason="Broken")
        svc.return_escalate(shop=shop, return_request=request, note="Disagree")
    url = reverse("admin:orders_returnrequest_changelist")
    assert admin_client.get(url).status_code == 200
    change = admin_client.get(reverse("admin:orders_returnrequest_change", args=[request.pk]))
    assert change.status_code == 200 and "Disagree" in change.content.decode()
    response = admin_client.post(
        url, {"action": "decide_for_seller", "_selected_action": [request.pk]}, follow=True
    )
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == S.CLOSED


# --- Auto-approval ------------------------------------------------------------------------------


@pytest.mark.parametrize("requested", [at(2026, 3, 2, 0, 0), at(2026, 3, 2, 23, 59, 59)])
def test_auto_approve_warns_on_the_last_day_and_approves_the_day_after(
    shop, owner, requested, django_capture_on_commit_callbacks
):
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        request = open_return(shop, order, now=requested)
    mail.outbox.clear()

    assert returns_auto_approve(on_date=at(2026, 3, 3).date()) == {"approved": 0, "warned": 0}
    with django_capture_on_commit_callbacks(execute=True):
        warned = returns_auto_approve(on_date=at(2026, 3, 4).date())
    assert warned == {"approved": 0, "warned": 1}
    assert len(mail.outbox) == 1 and owner.email in mail.outbox[0].to
    assert "approved automatically" in mail.outbox[0].subject
    assert returns_auto_approve(on_date=at(2026, 3, 4).date())["warned"] == 0  # once only

    assert returns_auto_approve(on_date=at(2026, 3, 5).date()) == {"approved": 1, "warned": 0}
    request.refresh_from_db()
    assert request.status == S.APPROVED
    with scope(shop=shop):
        assert request.history.last().actor_kind == "system"
    assert returns_auto_approve(on_date=at(2026, 3, 6).date())["approved"] == 0


def test_auto_approve_command_takes_a_date(shop):
    from django.core.management import call_command

    request = open_return(
        shop, delivered_order(shop, delivered_at=at(2026, 3, 1)), now=at(2026, 3, 2)
    )
    call_command("returns_auto_approve", "--date", "2026-03-05")
    request.refresh_from_db()
    assert request.status == S.APPROVED


def test_answered_requests_are_left_alone(shop, owner):
    with scope(shop=shop):
        request = open_return(
            shop, delivered_order(shop, delivered_at=at(2026, 3, 1)), now=at(2026, 3, 2)
        )
        svc.return_reject(shop=shop, actor=owner, return_request=request, reason="No")
    assert returns_auto_approve(on_date=at(2026, 3, 9).date())["approved"] == 0

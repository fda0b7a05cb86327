"""The seller's time to answer a return request (SPEC §7) is one rule — ReturnRequest.answer_by —
read the same by Home's to-do, the returns pages and the auto-approve sweep."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django_scopes import scope

from orders.returns.deadlines import returns_auto_approve
from orders.returns.models import ReturnRequest
from sellercenter.dashboard import home_todos
from tests.orders.aftersales import at, delivered_order, open_return

pytestmark = pytest.mark.django_db


def home_return_todo(shop, now):
    (todo,) = [t for t in home_todos(shop=shop, now=now) if "return request" in t.label]
    return todo


def refund_request(shop, *, requested):
    """A refund-only request for a delivered order, opened in the shop's scope as the buyer's
    return page does."""
    with scope(shop=shop):
        order = delivered_order(shop, delivered_at=at(2026, 3, 1))
        return open_return(shop, order, kind="refund_only", now=requested)


def test_a_late_evening_request_is_due_at_the_same_moment_on_home_and_in_returns(
    shop, owner_client
):
    # Asked at 23:30 on Mar 2 (platform time): answerable until the end of Mar 4, not 48 hours.
    request = refund_request(shop, requested=at(2026, 3, 2, 23, 30))
    assert request.answer_due_on.isoformat() == "2026-03-04"
    assert request.answer_by == at(2026, 3, 5, 0, 0)

    last_minute = at(2026, 3, 4, 23, 59)
    with scope(shop=shop):
        todo = home_return_todo(shop, last_minute)
        assert todo.due == request.answer_by and not todo.overdue
        assert home_return_todo(shop, at(2026, 3, 5, 0, 1)).overdue

    detail = reverse(
        "orders:return_detail", kwargs={"shop_slug": shop.slug, "return_request_id": request.pk}
    )
    assert "Answer by <strong>Mar 4, 2026</strong>" in owner_client.get(detail).content.decode()
    listing = reverse("orders:return_list", kwargs={"shop_slug": shop.slug})
    assert "answer by Mar 4" in owner_client.get(listing).content.decode()

    # The sweep agrees: still the seller's on Mar 4 (warned), approved on Mar 5.
    assert returns_auto_approve(on_date=at(2026, 3, 4).date()) == {"approved": 0, "warned": 1}
    assert returns_auto_approve(on_date=at(2026, 3, 5).date())["approved"] == 1
    with scope(shop=shop):
        assert ReturnRequest.objects.get(pk=request.pk).status == ReturnRequest.Status.APPROVED


def test_the_sweeps_cutoff_is_the_inverse_of_answer_by(shop):
    request = refund_request(shop, requested=at(2026, 3, 2, 0, 0))
    day = request.answer_by.date()
    assert request.requested_at < ReturnRequest.answer_ended_if_requested_before(day)
    day_before = day - timedelta(days=1)
    assert request.requested_at >= ReturnRequest.answer_ended_if_requested_before(day_before)

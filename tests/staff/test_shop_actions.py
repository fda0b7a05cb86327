"""Staff console, shops: each action changes what it says, writes one audit record,
refuses bad input with a message, and needs its own permission (403 without it)."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEvent
from shops.models import Shop, ShopProbation, ShopStatusChange, Violation
from tests.admin_actions import post_action
from tests.factories import ShopFactory, ViolationFactory, sign_in_verified, staff_in_group
from tests.staff.conftest import T_AND_S

CHANGELIST = "admin:shops_shop_changelist"
pytestmark = pytest.mark.django_db


@pytest.fixture
def tns(client):
    user = staff_in_group(T_AND_S, email="tns@platform.test")
    sign_in_verified(client, user)
    return user


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _audits(shop):
    return list(AuditEvent.objects.filter(shop_id=shop.pk).values_list("action", flat=True))


def test_suspend_asks_for_a_reason_first_then_suspends_with_one_audit_record(
    client, tns, owner, shop, django_capture_on_commit_callbacks
):
    page = post_action(client, CHANGELIST, "suspend_shops", [shop.pk])
    assert page.status_code == 200
    assert b"Suspend shops" in page.content and b'name="reason"' in page.content
    shop.refresh_from_db()
    assert shop.status == "active"  # the confirmation page changed nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(
            client, CHANGELIST, "suspend_shops", [shop.pk], apply="1", reason="Counterfeit goods"
        )
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.status == Shop.Status.SUSPENDED
    with scope(shop=shop):
        assert _audits(shop) == ["shop.status_changed"]
        event = AuditEvent.objects.get(shop_id=shop.pk)
        assert event.actor_label == "tns@platform.test"
        assert event.changes["status"] == ["active", "suspended"]
        assert event.changes["reason"] == ["", "Counterfeit goods"]
        assert ShopStatusChange.objects.get(shop=shop).reason == "Counterfeit goods"
    assert any("Counterfeit goods" in m.body for m in mail.outbox)


def test_an_empty_reason_is_refused_and_nothing_changes(client, tns, shop):
    response = post_action(client, CHANGELIST, "suspend_shops", [shop.pk], apply="1", reason="  ")
    assert response.status_code == 400
    assert b"This field is required" in response.content
    shop.refresh_from_db()
    assert shop.status == "active"
    assert _audits(shop) == []


def test_banning_an_already_banned_shop_is_refused_with_a_message(client, tns):
    banned = ShopFactory(status=Shop.Status.BANNED)
    response = post_action(
        client, CHANGELIST, "ban_shops", [banned.pk], apply="1", reason="Repeat fraud"
    )
    assert response.status_code == 302
    assert any("already banned" in m for m in _messages(response))
    assert _audits(banned) == []


def test_ban_then_lift_the_ban(client, tns, shop):
    post_action(client, CHANGELIST, "ban_shops", [shop.pk], apply="1", reason="Fraud ring")
    shop.refresh_from_db()
    assert shop.status == "banned"
    response = post_action(client, CHANGELIST, "lift_shop_bans", [shop.pk])
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.status == "active"
    assert _audits(shop) == ["lifecycle.shop_active", "shop.status_changed"]


def test_lift_a_suspension(client, tns, shop):
    post_action(client, CHANGELIST, "suspend_shops", [shop.pk], apply="1", reason="Check")
    post_action(client, CHANGELIST, "reinstate_shops", [shop.pk], apply="1", reason="Resolved")
    shop.refresh_from_db()
    assert shop.status == "active"


def test_end_the_investigation_period(client, tns):
    shop = ShopFactory(in_investigation=True)
    post_action(client, CHANGELIST, "end_investigation", [shop.pk], apply="1", reason="Reviewed")
    shop.refresh_from_db()
    assert shop.in_investigation is False
    assert _audits(shop) == ["shop.investigation_ended"]
    # A second time: refused, nothing more written.
    response = post_action(
        client, CHANGELIST, "end_investigation", [shop.pk], apply="1", reason="Again"
    )
    assert any("not in an investigation period" in m for m in _messages(response))
    assert _audits(shop) == ["shop.investigation_ended"]


def test_violation_points_are_a_ledger_and_never_go_below_zero(client, tns, shop):
    with scope(shop=shop):
        ViolationFactory(shop=shop, points=5)

    def adjust(points, reason):
        return post_action(
            client, CHANGELIST, "adjust_violation_points", [shop.pk], apply="1", points=points,
            reason=reason,
        )  # fmt: skip

    adjust("3", "Prohibited item")
    adjust("-2", "Appeal upheld")
    with scope(shop=shop):
        points = Violation.objects.filter(shop=shop).values_list("points", flat=True)
        assert sorted(points) == [-2, 3, 5]
    refused = adjust("-7", "Too much")
    with scope(shop=shop):
        assert any("cannot take it below 0" in m for m in _messages(refused))
        events = AuditEvent.objects.filter(shop_id=shop.pk, action="shop.violation_points_adjusted")
        assert [e.changes["violation_points"] for e in events.order_by("id")] == [[5, 8], [8, 6]]
    changelist = client.get(reverse(CHANGELIST), {"q": shop.slug})
    assert changelist.context["cl"].result_list[0]._points == 6


def test_set_sps_and_probation(client, tns, shop):
    ShopProbation.objects.create(shop=shop)
    Shop.objects.filter(pk=shop.pk).update(on_probation=True)
    post_action(client, CHANGELIST, "set_sps", [shop.pk], apply="1", sps="4.25", reason="Monthly")
    post_action(client, CHANGELIST, "end_probation", [shop.pk], apply="1", reason="Graduated")
    shop.refresh_from_db()
    assert shop.sps == Decimal("4.25") and shop.on_probation is False
    until = (timezone.localdate() + timezone.timedelta(days=10)).isoformat()
    post_action(
        client, CHANGELIST, "extend_probation", [shop.pk], apply="1", until=until, reason="Watch"
    )
    shop.refresh_from_db()
    assert shop.on_probation is True
    assert _audits(shop) == ["probation.extended", "probation.ended", "shop.sps_set"]


def test_an_sps_outside_0_to_5_is_refused(client, tns, shop):
    response = post_action(
        client, CHANGELIST, "set_sps", [shop.pk], apply="1", sps="7", reason="Oops"
    )
    assert response.status_code == 400
    shop.refresh_from_db()
    assert shop.sps == 0


def test_finance_marks_the_deposit_paid_then_refunded(client, shop):
    sign_in_verified(client, staff_in_group("Finance"))
    post_action(client, CHANGELIST, "mark_deposit_paid", [shop.pk])
    shop.refresh_from_db()
    assert shop.store_deposit_paid is True
    again = post_action(client, CHANGELIST, "mark_deposit_paid", [shop.pk])
    assert any("already paid" in m for m in _messages(again))
    post_action(client, CHANGELIST, "mark_deposit_refunded", [shop.pk])
    shop.refresh_from_db()
    assert shop.store_deposit_paid is False
    assert _audits(shop) == ["shop.deposit_refunded", "shop.deposit_paid"]


def test_filters_and_search(client, tns, owner, shop):
    ShopFactory(name="Quiet", slug="quiet", in_investigation=True)
    ShopFactory(name="Gone", slug="gone", status=Shop.Status.BANNED, store_deposit_paid=True)

    def names(**params):
        response = client.get(reverse(CHANGELIST), params)
        assert response.status_code == 200
        return sorted(s.name for s in response.context["cl"].result_list)

    assert names(status="investigation") == ["Quiet"]
    assert names(status="banned") == ["Gone"]
    assert names(deposit="paid") == ["Gone"]
    assert names(q="owner@alpha.test") == ["Alpha Goods"]
    assert names(q="quiet") == ["Quiet"]
    assert names(inactivity="none") == ["Alpha Goods", "Gone", "Quiet"]
    assert names(inactivity="delisted") == []

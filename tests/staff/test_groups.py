"""Least-privilege staff groups: what each group can and cannot do in the console.
A staff user posting an action their groups do not grant gets 403 and nothing changes."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import AuditEvent
from catalog.models import Product
from orders.finance.models import Withdrawal
from shops.models import Shop
from shops.review.access import REVIEWER_GROUP
from tests.admin_actions import post_action
from tests.factories import ShopFactory, listable_product, sign_in_verified, staff_in_group
from tests.staff.conftest import T_AND_S

pytestmark = pytest.mark.django_db
SHOPS = "admin:shops_shop_changelist"
PRODUCTS = "admin:catalog_product_changelist"
WITHDRAWALS = "admin:orders_withdrawal_changelist"
COMMISSIONS = "admin:orders_commissionrate_changelist"
TICKETS = "admin:shops_supportticket_changelist"
AUDIT = "admin:accounts_auditevent_changelist"


def _as(client, group):
    user = staff_in_group(group)
    sign_in_verified(client, user)
    return user


def _status(client, url_name):
    return client.get(reverse(url_name)).status_code


def test_the_groups_exist_with_the_migration():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Support", T_AND_S, "Finance", REVIEWER_GROUP} <= names


def test_trust_and_safety_suspends_and_bans_but_never_touches_money(client):
    _as(client, T_AND_S)
    shop = ShopFactory()
    product = listable_product(shop, status=Product.Status.LIVE)
    assert _status(client, SHOPS) == 200
    assert _status(client, PRODUCTS) == 200
    assert _status(client, AUDIT) == 200
    assert _status(client, WITHDRAWALS) == 403
    assert _status(client, COMMISSIONS) == 403
    # Allowed: suspend a product, ban a shop.
    post_action(client, PRODUCTS, "suspend_products", [product.pk], apply="1", reason="Fake")
    post_action(client, SHOPS, "ban_shops", [shop.pk], apply="1", reason="Fraud")
    product.refresh_from_db()
    shop.refresh_from_db()
    assert (product.status, shop.status) == ("suspended", "banned")
    # Refused: the store deposit is finance's.
    other = ShopFactory()
    assert post_action(client, SHOPS, "mark_deposit_paid", [other.pk]).status_code == 403
    other.refresh_from_db()
    assert other.store_deposit_paid is False


def test_support_reads_most_things_and_decides_nothing(client):
    _as(client, "Support")
    shop = ShopFactory()
    product = listable_product(shop, status=Product.Status.LIVE)
    for url_name in (
        SHOPS,
        PRODUCTS,
        TICKETS,
        AUDIT,
        "admin:orders_order_changelist",
        "admin:shops_verificationsubmission_changelist",
        "admin:lifecycle_sweeprun_changelist",
        "admin:accounts_user_changelist",
    ):
        assert _status(client, url_name) == 200, url_name
    assert _status(client, WITHDRAWALS) == 403
    assert _status(client, COMMISSIONS) == 403
    assert _status(client, "admin:orders_ledgerentry_changelist") == 403
    assert post_action(client, SHOPS, "suspend_shops", [shop.pk]).status_code == 403
    assert (
        post_action(client, SHOPS, "ban_shops", [shop.pk], apply="1", reason="x").status_code == 403
    )
    assert (
        post_action(
            client, PRODUCTS, "suspend_products", [product.pk], apply="1", reason="x"
        ).status_code
        == 403
    )
    shop.refresh_from_db()
    product.refresh_from_db()
    assert (shop.status, product.status) == ("active", "live")
    assert not AuditEvent.objects.filter(shop_id=shop.pk).exists()


def test_finance_keeps_commissions_withdrawals_and_deposits_only(client):
    _as(client, "Finance")
    shop = ShopFactory()
    assert _status(client, COMMISSIONS) == 200
    assert _status(client, WITHDRAWALS) == 200
    assert _status(client, SHOPS) == 200  # to find a shop (and for autocomplete)
    assert _status(client, PRODUCTS) == 403
    assert _status(client, TICKETS) == 403
    assert post_action(client, SHOPS, "mark_deposit_paid", [shop.pk]).status_code == 302
    shop.refresh_from_db()
    assert shop.store_deposit_paid is True
    assert (
        post_action(client, SHOPS, "suspend_shops", [shop.pk], apply="1", reason="x").status_code
        == 403
    )
    assert (
        post_action(
            client, SHOPS, "adjust_violation_points", [shop.pk], apply="1", points="3", reason="x"
        ).status_code
        == 403
    )
    shop.refresh_from_db()
    assert shop.status == Shop.Status.ACTIVE


def test_verification_reviewers_have_the_queue_and_nothing_in_the_admin(client):
    reviewer = _as(client, REVIEWER_GROUP)
    assert client.get(reverse("review:queue")).status_code == 200
    assert reviewer.get_all_permissions() == set()
    for url_name in (SHOPS, PRODUCTS, WITHDRAWALS, TICKETS, AUDIT):
        assert _status(client, url_name) == 403, url_name
    shop = ShopFactory()
    assert post_action(
        client, SHOPS, "ban_shops", [shop.pk], apply="1", reason="x"
    ).status_code in (403,)


def test_withdrawals_are_marked_paid_by_finance(client):
    from decimal import Decimal

    _as(client, "Finance")
    shop = ShopFactory()
    withdrawal = Withdrawal.objects.create(shop=shop, amount=Decimal("10.00"))
    response = post_action(client, WITHDRAWALS, "mark_paid", [withdrawal.pk])
    assert response.status_code == 302
    withdrawal.refresh_from_db()
    assert withdrawal.status == "paid"

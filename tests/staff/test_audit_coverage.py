"""Every sensitive action leaves exactly one audit record, with its actor
(a user or "system"), shop, action, target, before/after and the time. Each case performs one
action the way staff or a seller does and counts the AuditEvent rows it wrote."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEvent
from catalog.models import Product
from orders.finance.models import Withdrawal
from shops.models import Shop, ShopProbation
from tests.admin_actions import post_action
from tests.factories import (
    ShopFactory,
    ViolationFactory,
    listable_product,
)

pytestmark = pytest.mark.django_db
SHOPS = "admin:shops_shop_changelist"
PRODUCTS = "admin:catalog_product_changelist"
WITHDRAWALS = "admin:orders_withdrawal_changelist"


def _suspended(shop):
    Shop.objects.filter(pk=shop.pk).update(status=Shop.Status.SUSPENDED)
    return shop


def _on_probation(shop):
    ShopProbation.objects.create(shop=shop)
    Shop.objects.filter(pk=shop.pk).update(on_probation=True)
    return shop


# (name, prepare(shop) -> target, post(client, target), expected action)
STAFF_ACTIONS = [
    ("suspend", lambda s: s, lambda c, s: post_action(
        c, SHOPS, "suspend_shops", [s.pk], apply="1", reason="r"), "shop.status_changed"),
    ("lift suspension", _suspended, lambda c, s: post_action(
        c, SHOPS, "reinstate_shops", [s.pk], apply="1", reason="r"), "shop.status_changed"),
    ("ban", lambda s: s, lambda c, s: post_action(
        c, SHOPS, "ban_shops", [s.pk], apply="1", reason="r"), "shop.status_changed"),
    ("lift ban", lambda s: Shop.objects.filter(pk=s.pk).update(status="banned") and s,
     lambda c, s: post_action(c, SHOPS, "lift_shop_bans", [s.pk]), "lifecycle.shop_active"),
    ("end investigation", lambda s: Shop.objects.filter(pk=s.pk).update(in_investigation=True)
     and s, lambda c, s: post_action(
        c, SHOPS, "end_investigation", [s.pk], apply="1", reason="r"),
     "shop.investigation_ended"),
    ("deposit paid", lambda s: s, lambda c, s: post_action(
        c, SHOPS, "mark_deposit_paid", [s.pk]), "shop.deposit_paid"),
    ("deposit refunded", lambda s: Shop.objects.filter(pk=s.pk).update(store_deposit_paid=True)
     and s, lambda c, s: post_action(c, SHOPS, "mark_deposit_refunded", [s.pk]),
     "shop.deposit_refunded"),
    ("violation points", lambda s: s, lambda c, s: post_action(
        c, SHOPS, "adjust_violation_points", [s.pk], apply="1", points="4", reason="r"),
     "shop.violation_points_adjusted"),
    ("sps", lambda s: s, lambda c, s: post_action(
        c, SHOPS, "set_sps", [s.pk], apply="1", sps="3.5", reason="r"), "shop.sps_set"),
    ("end probation", _on_probation, lambda c, s: post_action(
        c, SHOPS, "end_probation", [s.pk], apply="1", reason="r"), "probation.ended"),
    ("extend probation", _on_probation, lambda c, s: post_action(
        c, SHOPS, "extend_probation", [s.pk], apply="1", reason="r",
        until=(timezone.localdate() + timedelta(days=9)).isoformat()), "probation.extended"),
    ("suspend product", lambda s: listable_product(s, status=Product.Status.LIVE),
     lambda c, p: post_action(c, PRODUCTS, "suspend_products", [p.pk], apply="1", reason="r"),
     "product.suspend"),
    ("lift product suspension",
     lambda s: listable_product(s, status=Product.Status.SUSPENDED, status_reason="x"),
     lambda c, p: post_action(c, PRODUCTS, "lift_suspensions", [p.pk]),
     "product.lift_suspension"),
    ("withdrawal paid", lambda s: Withdrawal.objects.create(shop=s, amount=Decimal("5")),
     lambda c, w: post_action(c, WITHDRAWALS, "mark_paid", [w.pk]), "finance.withdrawal_paid"),
    ("withdrawal failed", lambda s: Withdrawal.objects.create(shop=s, amount=Decimal("5")),
     lambda c, w: post_action(c, WITHDRAWALS, "mark_failed", [w.pk]),
     "finance.withdrawal_failed"),
]  # fmt: skip


@pytest.mark.parametrize(
    "prepare,perform,action", [c[1:] for c in STAFF_ACTIONS], ids=[c[0] for c in STAFF_ACTIONS]
)
def test_each_staff_action_writes_exactly_one_audit_record(
    admin_client, admin_user, prepare, perform, action
):
    shop = ShopFactory()
    target = prepare(shop)
    before = AuditEvent.objects.count()
    response = perform(admin_client, target)
    assert response.status_code == 302
    new = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.action for e in new] == [action]
    event = new[0]
    assert event.shop_id == shop.pk
    assert event.actor_id == admin_user.pk and event.actor_label == admin_user.email
    assert event.occurred_at is not None
    if event.action.startswith("shop."):
        assert event.changes  # before/after of what changed


def test_seller_and_system_actions_write_one_record_each(owner, shop):
    """The other sensitive staff and seller actions, through their services."""
    from accounts.twofactor import second_factor_unlock
    from lifecycle.services.export import export_request
    from lifecycle.services.leaving import shop_deactivate, tiktok_unlink
    from shops.models import SellerProfile
    from shops.services.bank import bank_account_save

    SellerProfile.objects.create(shop=shop, legal_name="Sam Seller")

    def one(fn, action):
        before = AuditEvent.objects.count()
        with scope(shop=shop):
            fn()
        assert list(
            AuditEvent.objects.order_by("id")[before:].values_list("action", flat=True)
        ) == [action]

    one(
        lambda: bank_account_save(
            shop=shop, actor=owner, holder_name="Sam Seller", routing_number="011000015",
            account_number="000123456789",
        ),
        "bank_account.added",
    )  # fmt: skip
    one(lambda: tiktok_unlink(shop=shop, actor=owner), "lifecycle.tiktok_unlink")
    one(lambda: export_request(shop=shop, actor=owner), "lifecycle.export_requested")
    one(lambda: shop_deactivate(shop=shop, actor=owner), "lifecycle.shop_deactivated")
    one(lambda: second_factor_unlock(actor=owner, user=owner), "2fa.unlocked")


def test_audit_records_cannot_be_added_edited_or_deleted_in_the_admin(admin_client, shop):
    ViolationFactory(shop=shop)
    from accounts import audit

    event = audit.record(actor=None, action="lifecycle.shop_banned", shop=shop, target=shop)
    change_url = reverse("admin:accounts_auditevent_change", args=[event.pk])
    page = admin_client.get(change_url)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert admin_client.post(change_url, {"action": "x"}).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert admin_client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    listing = admin_client.get(reverse("admin:accounts_auditevent_changelist"), {"by": "system"})
    assert listing.status_code == 200
    assert [e.pk for e in listing.context["cl"].result_list] == [event.pk]
    assert listing.context["action_form"] is None  # no "delete selected" either
    family = admin_client.get(reverse("admin:accounts_auditevent_changelist"), {"family": "2fa."})
    assert list(family.context["cl"].result_list) == []

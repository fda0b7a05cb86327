"""Every admin action of every registered model, run as each staff group.

RIGHTS names, for each action, the groups that may run it (superusers may run everything).
A staff user outside those groups who posts the action — the request an attacker would send,
whatever the page offers — gets 403 and nothing changes. A new action fails
``test_every_action_is_classified`` until it is given its groups here."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django_scopes import scope

from accounts.models import AuditEvent, SecondFactorGuard
from orders.finance.models import Withdrawal
from orders.models import Package
from orders.services.fulfillment.ship import order_ship
from shops.review.access import REVIEWER_GROUP
from tests.admin_actions import post_action
from tests.factories import (
    ShopFactory,
    SKUFactory,
    UserFactory,
    sign_in_verified,
    staff_in_group,
)
from tests.orders.conftest import make_template, place
from tests.staff.conftest import T_AND_S

pytestmark = pytest.mark.django_db

SUPPORT, FINANCE = "Support", "Finance"
GROUPS = [SUPPORT, T_AND_S, FINANCE, REVIEWER_GROUP]
NOBODY: frozenset[str] = frozenset()

_SHOP_STANDING = {
    name: {T_AND_S}
    for name in (
        "suspend_shops",
        "reinstate_shops",
        "ban_shops",
        "lift_shop_bans",
        "end_investigation",
        "adjust_violation_points",
        "set_sps",
        "end_probation",
        "extend_probation",
    )
}
# (app_label.model_name, action) -> groups that may run it. "delete_selected" is nobody's.
RIGHTS: dict[tuple[str, str], set[str] | frozenset[str]] = {
    **{("shops.shop", name): groups for name, groups in _SHOP_STANDING.items()},
    ("shops.shop", "mark_deposit_paid"): {FINANCE},
    ("shops.shop", "mark_deposit_refunded"): {FINANCE},
    ("catalog.product", "suspend_products"): {T_AND_S},
    ("catalog.product", "lift_suspensions"): {T_AND_S},
    ("lifecycle.inactivityepisode", "lift_ban"): {T_AND_S},
    # Packages move when the carrier says so; only a superuser stands in for the carrier.
    ("orders.package", "mark_in_transit"): NOBODY,
    ("orders.package", "mark_delivered"): NOBODY,
    ("orders.withdrawal", "mark_paid"): {FINANCE},
    ("orders.withdrawal", "mark_failed"): {FINANCE},
    ("orders.returnrequest", "decide_for_buyer"): {SUPPORT},
    ("orders.returnrequest", "decide_for_seller"): {SUPPORT},
    ("accounts.secondfactorguard", "unlock"): {SUPPORT},
    ("account.emailaddress", "make_verified"): NOBODY,
}


def _every_action():
    for model, model_admin in admin.site._registry.items():
        for action in model_admin._get_base_actions():
            yield model, model_admin, action


def _key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _allowed(model, name) -> set[str] | frozenset[str]:
    return RIGHTS.get((_key(model), name), NOBODY)


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_every_action_declares_the_permission_it_needs():
    undeclared = [
        f"{_key(model)}.{action.name}"
        for model, _, action in _every_action()
        if not getattr(action.func, "allowed_permissions", None)
    ]
    assert undeclared == []


def test_every_action_is_classified():
    named = {(_key(model), action.name) for model, _, action in _every_action()}
    unclassified = {key for key in named if key[1] != "delete_selected"} - set(RIGHTS)
    assert unclassified == set()
    assert set(RIGHTS) <= named  # no stale rows


@pytest.mark.parametrize("group", GROUPS)
def test_each_group_is_offered_exactly_its_actions(group):
    user = staff_in_group(group)
    request = RequestFactory().get("/admin/")
    request.user = user
    for model, model_admin, action in _every_action():
        offered = action.name in model_admin.get_actions(request)
        assert offered == (group in _allowed(model, action.name)), (group, _key(model), action)


@pytest.mark.parametrize("group", GROUPS)
def test_an_action_outside_the_group_is_refused_with_403_and_changes_nothing(client, group):
    world = _world()
    sign_in_verified(client, staff_in_group(group))
    audit_before = AuditEvent.objects.count()
    for model, _, action in _every_action():
        if group in _allowed(model, action.name):
            continue
        target = world.get(model, 1)
        response = client.post(
            _changelist(model),
            {"action": action.name, "_selected_action": [str(target)], "apply": "1", "reason": "x",
             "points": "5", "sps": "1.0", "days": "30", "post": "yes"},
        )  # fmt: skip
        assert response.status_code == 403, (group, _key(model), action.name)
    assert _snapshot(world) == world["before"]
    assert AuditEvent.objects.count() == audit_before


def test_support_posting_mark_delivered_gets_403_and_the_package_stays_in_transit(client):
    world = _world()
    sign_in_verified(client, staff_in_group(SUPPORT))
    response = post_action(
        client, "admin:orders_package_changelist", "mark_delivered", [world[Package]]
    )
    assert response.status_code == 403
    assert _snapshot(world) == world["before"]
    assert world["before"][0] == Package.Status.AWAITING_COLLECTION


def test_the_groups_with_the_right_still_run_their_actions(client):
    world = _world()
    sign_in_verified(client, staff_in_group(SUPPORT))
    response = post_action(
        client, "admin:accounts_secondfactorguard_changelist", "unlock", [world[SecondFactorGuard]]
    )
    assert response.status_code == 302
    assert _snapshot(world)[2] is None
    client.logout()
    sign_in_verified(client, staff_in_group(FINANCE))
    response = post_action(
        client, "admin:orders_withdrawal_changelist", "mark_paid", [world[Withdrawal]]
    )
    assert response.status_code == 302
    assert _snapshot(world)[1] == "paid"


# --- the rows the actions would change ------------------------------------------------------------
def _world() -> dict:
    """A shipped package, a requested withdrawal and a locked two-step guard, with ids."""
    from django.utils import timezone

    shop = ShopFactory()
    make_template(shop)
    sku = SKUFactory(product__shop=shop, price=Decimal("20.00"), on_hand=5)
    order = place(shop, (sku, 1))
    with scope(shop=shop):
        package = order_ship(
            shop=shop, actor=None, order=order, carrier="ups", service="UPS Ground",
            tracking_number="1Z999AA10123456784",
        )  # fmt: skip
    withdrawal = Withdrawal.objects.create(shop=shop, amount=Decimal("10.00"))
    guard = SecondFactorGuard.objects.create(
        user=UserFactory(), consecutive_failures=10, locked_at=timezone.now()
    )
    world = {Package: package.pk, Withdrawal: withdrawal.pk, SecondFactorGuard: guard.pk}
    world["before"] = _snapshot(world)
    return world


def _snapshot(world) -> tuple:
    from django_scopes import scopes_disabled

    with scopes_disabled():
        return (
            Package.objects.get(pk=world[Package]).status,
            Withdrawal.objects.get(pk=world[Withdrawal]).status,
            SecondFactorGuard.objects.get(pk=world[SecondFactorGuard]).locked_at,
        )

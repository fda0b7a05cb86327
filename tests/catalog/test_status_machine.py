"""SPEC §5 product status machine: every rule at its boundary, and what the seller is told."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope

from catalog.models import Product, ProductStatusChange
from catalog.selectors import product_status_counts
from catalog.services.products.actions import (
    product_activate,
    product_deactivate,
    product_delete,
    product_lift_suspension,
    product_recover,
    product_resubmit,
    product_suspend,
)
from catalog.services.products.status import product_transition
from common.transitions import TransitionRefused
from shops.models import ActivityEvent, Shop
from tests.factories import ProductFactory, SKUFactory, UserFactory, listable_product

pytestmark = pytest.mark.django_db
S = Product.Status


def test_every_status_in_allowed_and_deleted_is_never_a_dead_end():
    assert set(Product.ALLOWED) == set(S.values)
    for targets in Product.ALLOWED.values():
        assert targets <= set(S.values)


def test_activate_a_complete_product_goes_live_and_writes_history(shop, owner):
    with scope(shop=shop):
        product = listable_product(shop)
        outcome = product_activate(shop=shop, actor=owner, product=product)
        assert _status(product) == S.LIVE
        assert outcome.notice == "The product is live."
        change = ProductStatusChange.objects.get(product=product)
    assert (change.from_status, change.to_status, change.actor) == (S.DRAFT, S.LIVE, owner)


def test_failing_checks_put_it_under_issues_and_say_what_to_fix(shop, owner):
    with scope(shop=shop):
        product = ProductFactory(shop=shop, status=S.DRAFT, description="short")
        SKUFactory(product=product, on_hand=0)
        outcome = product_activate(shop=shop, actor=owner, product=product)
    assert _status(product) == S.ISSUES
    for expected in (
        "Add at least one image.",
        "at least 30 characters",
        "Choose a category.",
        "Add stock",
    ):
        assert expected in product.status_reason
        assert expected in outcome.notice


def test_issues_product_goes_live_once_the_seller_fixes_it(shop, owner):
    with scope(shop=shop):
        product = listable_product(shop, stock=0)
        product_activate(shop=shop, actor=owner, product=product)
    product.refresh_from_db()
    assert product.status == S.ISSUES and "Add stock" in product.status_reason
    from catalog.services.products.editing import sku_inline_update

    with scope(shop=shop):
        sku = product.skus.get()
        sku_inline_update(shop=shop, actor=owner, sku=sku, version=sku.version, on_hand=1)
    product.refresh_from_db()
    assert product.status == S.LIVE and product.status_reason == ""


@pytest.mark.parametrize(
    ("shop_status", "message"),
    [
        (Shop.Status.PENDING_VERIFICATION, "pending verification"),
        (Shop.Status.DEACTIVATED, "deactivated"),
        (Shop.Status.BANNED, "not active"),
    ],
)
def test_product_goes_live_only_while_the_shop_is_active(shop, owner, shop_status, message):
    with scope(shop=shop):
        _shop_update(shop, status=shop_status)
        product = listable_product(shop)
        outcome = product_activate(shop=shop, actor=owner, product=product)
    assert _status(product) == S.DRAFT
    assert message in outcome.notice


def test_probation_live_listing_cap_boundary(shop, owner, override_policy):
    with scope(shop=shop):
        override_policy(probation_live_listing_cap=2)
        _shop_update(shop, on_probation=True)
        first, second, third = (listable_product(shop) for _ in range(3))
        product_activate(shop=shop, actor=owner, product=first)
        product_activate(shop=shop, actor=owner, product=second)  # exactly at the cap: allowed
        outcome = product_activate(shop=shop, actor=owner, product=third)
        assert _status(third) == S.DRAFT
        assert "on probation: at most 2 products can be live" in outcome.notice
        # Leaving probation lifts the cap.
        _shop_update(shop, on_probation=False)
        product_activate(shop=shop, actor=owner, product=third)
    assert _status(third) == S.LIVE


def test_delisted_is_not_reversed_by_the_sellers_activate(shop, owner):
    with scope(shop=shop):
        product = listable_product(shop, status=S.DELISTED)
        with pytest.raises(TransitionRefused, match="Re-list your store"):
            product_activate(shop=shop, actor=owner, product=product)
        # The system's re-listing may.
        product_transition(shop=shop, actor=None, product=product, to=S.LIVE, by="system")
    assert _status(product) == S.LIVE


def test_only_staff_suspend_and_only_with_a_reason(shop, owner):
    with scope(shop=shop):
        product = listable_product(shop, status=S.LIVE)
        with pytest.raises(TransitionRefused, match="Only platform staff"):
            product_transition(shop=shop, actor=owner, product=product, to=S.SUSPENDED)
        staff = UserFactory(is_staff=True)
        with pytest.raises(ValidationError):
            product_suspend(shop=shop, actor=staff, product=product, reason="  ")
        product_suspend(shop=shop, actor=staff, product=product, reason="Counterfeit branding")
    product.refresh_from_db()
    assert (product.status, product.status_reason) == (S.SUSPENDED, "Counterfeit branding")


def test_seller_fixes_and_resubmits_a_suspension_staff_lift_it(shop, owner):
    with scope(shop=shop):
        staff = UserFactory(is_staff=True)
        product = listable_product(shop, status=S.LIVE)
        product_suspend(shop=shop, actor=staff, product=product, reason="Wrong category")
        with pytest.raises(TransitionRefused, match="suspended by platform staff"):
            product_activate(shop=shop, actor=owner, product=product)
        product_resubmit(shop=shop, actor=owner, product=product)
        product.refresh_from_db()
        assert product.status == S.SUSPENDED and product.resubmitted_at is not None
        product_lift_suspension(shop=shop, actor=staff, product=product)
    product.refresh_from_db()
    assert product.status == S.LIVE and product.resubmitted_at is None


def test_deactivate_then_activate(shop, owner):
    with scope(shop=shop):
        product = listable_product(shop, status=S.LIVE)
        product_deactivate(shop=shop, actor=owner, product=product)
        assert _status(product) == S.DEACTIVATED
        product_activate(shop=shop, actor=owner, product=product)
    assert _status(product) == S.LIVE


def test_draft_cannot_be_deactivated_and_says_why(shop, owner):
    with scope(shop=shop):
        product = listable_product(shop)
        with pytest.raises(TransitionRefused, match="A draft product cannot become deactivated"):
            product_deactivate(shop=shop, actor=owner, product=product)


def test_deleted_is_out_of_lists_and_recoverable_for_30_days(shop, owner):
    with scope(shop=shop):
        product = listable_product(shop, status=S.LIVE)
        product_delete(shop=shop, actor=owner, product=product)
        product.refresh_from_db()
        assert product.status == S.DELETED and product.deleted_at is not None
        counts = product_status_counts(shop=shop)
        assert counts["all"] == 0 and counts["deleted"] == 1
        # Day 30 exactly (minus a minute): still recoverable, comes back as a draft.
        _deleted_ago(product, timedelta(days=30) - timedelta(minutes=1))
        product_recover(shop=shop, actor=owner, product=product)
    assert _status(product) == S.DRAFT


def test_recovery_refused_after_the_window(shop, owner):
    with scope(shop=shop):
        product = listable_product(shop, status=S.LIVE)
        product_delete(shop=shop, actor=owner, product=product)
        _deleted_ago(product, timedelta(days=30, minutes=1))
        with pytest.raises(TransitionRefused, match="30 days"):
            product_recover(shop=shop, actor=owner, product=product)


def test_deleting_a_suspended_product_does_not_launder_the_suspension(shop, owner):
    with scope(shop=shop):
        staff = UserFactory(is_staff=True)
        product = listable_product(shop, status=S.LIVE)
        product_suspend(shop=shop, actor=staff, product=product, reason="Unsafe")
        product_delete(shop=shop, actor=owner, product=product)
        product.refresh_from_db()
        product_recover(shop=shop, actor=owner, product=product)
    assert _status(product) == S.SUSPENDED


def test_each_seller_service_call_records_activity_once(shop, owner):
    with scope(shop=shop):
        product = listable_product(shop)
        before = ActivityEvent.objects.filter(shop=shop, kind="product_modified").count()
        product_activate(shop=shop, actor=owner, product=product)
        product_deactivate(shop=shop, actor=owner, product=product)
        after = ActivityEvent.objects.filter(shop=shop, kind="product_modified").count()
    assert after - before == 2


def test_tab_counts_follow_every_kind_of_write(shop, other_shop, owner):
    with scope(shop=shop):
        listable_product(shop, status=S.LIVE)
        drafts = [listable_product(shop) for _ in range(3)]
        ProductFactory(shop=other_shop, status=S.LIVE)
        Product.objects.filter(pk__in=[d.pk for d in drafts[:2]]).update(
            status=S.DELISTED
        )  # set-based
        drafts[2].delete()
        counts = product_status_counts(shop=shop)
        assert counts.get("live") == 1 and counts.get("delisted") == 2 and counts.get("draft") == 0
    assert counts["all"] == 3


def test_the_sellers_status_change_shows_in_the_tabs_at_once(
    shop, owner, django_capture_on_commit_callbacks
):
    with scope(shop=shop):
        product = listable_product(shop, status=S.LIVE)
        assert product_status_counts(shop=shop)["live"] == 1  # now cached for the shop
        with django_capture_on_commit_callbacks(execute=True):
            product_deactivate(shop=shop, actor=owner, product=product)
        counts = product_status_counts(shop=shop)
    assert (counts["live"], counts["deactivated"]) == (0, 1)


def _status(product: Product) -> str:
    product.refresh_from_db()
    return product.status


def _shop_update(shop: Shop, **fields) -> None:
    Shop.objects.filter(pk=shop.pk).update(**fields)
    shop.refresh_from_db()


def _deleted_ago(product: Product, ago: timedelta) -> None:
    Product.objects.filter(pk=product.pk).update(deleted_at=timezone.now() - ago)
    product.refresh_from_db()

"""SPEC §9.2: every status change the sweep makes (delist, ban) leaves a history row per shop
and per product, as a change by a seller or staff member does; so do re-listing, deactivation
and reactivation, which the system carries out for the seller."""

import pytest
from django_scopes import scope

from catalog.models import ProductStatusChange
from lifecycle.services.leaving import shop_deactivate, shop_reactivate
from lifecycle.services.relist import shop_relist
from shops.models import ShopStatusChange
from tests.factories import ProductFactory, listable_product
from tests.lifecycle.conftest import day, make_seller_shop

pytestmark = pytest.mark.django_db


def product_history(shop):
    with scope(shop=shop):
        return sorted(
            ProductStatusChange.objects.filter(shop=shop).values_list(
                "product__title", "from_status", "to_status", "by", "actor", "reason"
            )
        )


def test_a_ban_by_the_sweep_leaves_a_shop_history_row_by_the_system(run_sweep):
    shop = make_seller_shop("Sleepy")
    for n in (60, 67, 90, 97, 97):  # the second run of day 97 changes nothing more
        run_sweep(n)
    shop.refresh_from_db()
    assert shop.status == "banned"
    with scope(shop=shop):
        change = ShopStatusChange.objects.get(shop=shop)
    assert (change.from_status, change.to_status, change.actor) == ("active", "banned", None)
    assert change.reason == f"Banned for inactivity by the sweep of {day(97)}"


def test_a_deposit_waives_the_ban_and_no_shop_history_row_is_written(run_sweep):
    shop = make_seller_shop("Covered", deposit=True)
    for n in (60, 67, 90, 97):
        run_sweep(n)
    with scope(shop=shop):
        assert not ShopStatusChange.objects.filter(shop=shop).exists()


def test_the_sweeps_delisting_leaves_one_product_history_row_per_live_product(run_sweep):
    shop = make_seller_shop("Sleepy")  # two live products, one deactivated, one draft
    for n in (60, 67, 67):
        run_sweep(n)
    why = "Delisted by the inactivity sweep: the shop was inactive."
    with scope(shop=shop):
        assert product_history(shop) == [
            ("Sleepy Live one", "live", "delisted", "system", None, why),
            ("Sleepy Live two", "live", "delisted", "system", None, why),
        ]


def test_relisting_leaves_a_history_row_for_each_product_it_brings_back(run_sweep):
    shop = make_seller_shop("Sleepy")
    with scope(shop=shop):
        listable_product(shop, status="live", title="Sold out", stock=0)
    run_sweep(60)
    run_sweep(67)
    with scope(shop=shop):
        owner = shop.memberships.get(role="owner").user
        ProductStatusChange.objects.all().delete()  # keep only what re-listing writes

        shop_relist(shop=shop, actor=owner)

        back = "Back from the inactivity delisting: the store was re-listed."
        not_listable = "Add stock to at least one variant."
        assert product_history(shop) == [
            ("Sleepy Live one", "delisted", "live", "system", owner.pk, back),
            ("Sleepy Live two", "delisted", "live", "system", owner.pk, back),
            ("Sold out", "delisted", "issues", "system", owner.pk, not_listable),
        ]


def test_deactivation_and_reactivation_leave_shop_and_product_history(shop, owner):
    with scope(shop=shop):
        listable_product(shop, status="live", title="On sale")
        ProductFactory(shop=shop, title="Paused", status="deactivated")

        shop_deactivate(shop=shop, actor=owner)
        shop_reactivate(shop=shop, actor=owner)

        assert list(
            ShopStatusChange.objects.filter(shop=shop).values_list(
                "from_status", "to_status", "actor"
            )
        ) == [("active", "deactivated", owner.pk), ("deactivated", "active", owner.pk)]
        assert product_history(shop) == [
            (
                "On sale",
                "delisted",
                "live",
                "system",
                owner.pk,
                "Back from the deactivation: the shop was reactivated.",
            ),
            (
                "On sale",
                "live",
                "delisted",
                "system",
                owner.pk,
                "Delisted because the shop was deactivated.",
            ),
        ]

"""SPEC §9.2: every status change the sweep makes in bulk — delisting (with the investigation),
the ban — and the re-listing leave a history row per shop and per product, for each of the
shops one run moves, and the seller can read them."""

import pytest
from django.urls import reverse
from django_scopes import scope

from accounts.models import AuditEvent
from catalog.models import Product, ProductStatusChange
from lifecycle.services.relist import shop_relist
from shops.models import ShopStatusChange
from tests.factories import sign_in_verified
from tests.lifecycle.conftest import make_seller_shop

pytestmark = pytest.mark.django_db


def trail(shop):
    with scope(shop=shop):
        products = sorted(
            ProductStatusChange.objects.filter(shop=shop).values_list(
                "product__title", "from_status", "to_status", "by"
            )
        )
        shop_rows = list(
            ShopStatusChange.objects.filter(shop=shop).values_list("from_status", "to_status")
        )
    audit = sorted(AuditEvent.objects.filter(shop_id=shop.pk).values_list("action", flat=True))
    return products, shop_rows, audit


def test_one_run_leaves_a_row_per_shop_and_per_product_for_every_shop_it_moves(run_sweep):
    shops = [make_seller_shop(name) for name in ("Quiet", "Silent")]
    for n in (60, 67, 90, 97):
        run_sweep(n)
    for shop in shops:
        products, shop_rows, audit = trail(shop)
        name = shop.name
        assert products == [
            (f"{name} Live one", "live", "delisted", "system"),
            (f"{name} Live two", "live", "delisted", "system"),
        ]
        assert shop_rows == [("active", "banned")]
        assert audit == [
            "lifecycle.inactivity.banned",
            "lifecycle.inactivity.delisted",
            "lifecycle.inactivity.first_reminder",
            "lifecycle.inactivity.second_reminder",
        ]
        delisting = AuditEvent.objects.get(shop_id=shop.pk, action="lifecycle.inactivity.delisted")
        assert delisting.changes["in_investigation"] == [False, True]


def test_relisting_leaves_a_row_per_product_and_one_for_the_shop(run_sweep):
    shop = make_seller_shop("Quiet")
    run_sweep(60)
    run_sweep(67)
    with scope(shop=shop):
        owner = shop.memberships.get(role="owner").user
        shop_relist(shop=shop, actor=owner)
    products, _, audit = trail(shop)
    assert [row for row in products if row[1] == "delisted"] == [
        ("Quiet Live one", "delisted", "live", "system"),
        ("Quiet Live two", "delisted", "live", "system"),
    ]
    assert audit.count("lifecycle.relist") == 1


def test_the_seller_reads_the_trail_in_words(client, run_sweep):
    shop = make_seller_shop("Quiet")
    run_sweep(60)
    run_sweep(67)
    owner = shop.memberships.get(role="owner").user
    with scope(shop=shop):
        shop_relist(shop=shop, actor=owner)
        product = Product.objects.get(shop=shop, title="Quiet Live one")
    sign_in_verified(client, owner)
    log = client.get(reverse("shops:security_log", kwargs={"shop_slug": shop.slug}))
    text = log.content.decode()
    for words in (
        "Inactivity reminder sent",
        "Products delisted for inactivity; investigation period began",
        "Store re-listed",
    ):
        assert words in text, words
    detail = client.get(
        reverse("catalog:product_detail", kwargs={"shop_slug": shop.slug, "product_id": product.pk})
    ).content.decode()
    assert "Delisted by the inactivity sweep" in detail and "Back from the inactivity" in detail

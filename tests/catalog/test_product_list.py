"""The product list: tabs, search, filters, keyset pages, a fixed query count, inline edit, bulk."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from catalog.models import SKU, Product, StockMovement
from catalog.tasks import product_bulk_action_task
from tests.factories import ProductFactory, SKUFactory, listable_product
from tests.queries import page_queries

pytestmark = pytest.mark.django_db
S = Product.Status


def list_url(shop, **params):
    from urllib.parse import urlencode

    base = reverse("catalog:product_list", kwargs={"shop_slug": shop.slug})
    return base + ("?" + urlencode(params) if params else "")


def bulk_products(shop, n, start=0, status=S.LIVE):
    """n products with one SKU each, fast (bulk_create)."""
    now = timezone.now()
    products = Product.objects.bulk_create(
        Product(
            shop=shop,
            title=f"Item {start + i:05d}",
            status=status,
            updated_at=now - timedelta(minutes=start + i),
        )
        for i in range(n)
    )
    SKU.objects.bulk_create(
        SKU(
            shop=shop,
            product=p,
            seller_sku=f"BULK-{start + i:05d}",
            price=Decimal("9.99"),
            on_hand=(i % 4) * 3,
        )
        for i, p in enumerate(products)
    )
    return products


def test_list_page_runs_the_same_queries_with_10_and_1000_products(owner_client, shop):
    bulk_products(shop, 10)
    small = page_queries(owner_client, list_url(shop))
    bulk_products(shop, 990, start=10)
    assert page_queries(owner_client, list_url(shop)) == small
    assert page_queries(owner_client, list_url(shop, stock="low", sort="title")) == small


def test_tabs_show_a_count_per_status(owner_client, shop):
    bulk_products(shop, 3)
    bulk_products(shop, 2, start=3, status=S.ISSUES)
    page = owner_client.get(list_url(shop)).content.decode()
    assert 'data-status="all">All <span class="count">5</span>' in page
    assert 'data-status="live">Live <span class="count">3</span>' in page
    assert 'data-status="issues">Issues <span class="count">2</span>' in page
    assert 'data-status="suspended">Suspended <span class="count">0</span>' in page


def test_search_by_title_or_exact_sku(owner_client, shop):
    SKUFactory(product__shop=shop, product__title="Blue mug", seller_sku="MUG-1")
    SKUFactory(product__shop=shop, product__title="Red lamp", seller_sku="LAMP-9")
    page = owner_client.get(list_url(shop, q="mug")).content.decode()
    assert "Blue mug" in page and "Red lamp" not in page
    page = owner_client.get(list_url(shop, q="lamp-9")).content.decode()
    assert "Red lamp" in page and "Blue mug" not in page


def test_stock_filter_in_low_out(owner_client, shop):
    SKUFactory(product__shop=shop, product__title="Plenty", on_hand=50)
    SKUFactory(product__shop=shop, product__title="Running low", on_hand=5)  # = shop default 5
    SKUFactory(product__shop=shop, product__title="Sold out", on_hand=3, reserved=3)

    def titles(state):
        return [
            p.title
            for p in owner_client.get(list_url(shop, stock=state)).context["page"].object_list
        ]

    assert titles("in") == ["Plenty"]
    assert titles("low") == ["Running low"]
    assert titles("out") == ["Sold out"]


def test_category_filter_includes_children(owner_client, shop, category):
    ProductFactory(shop=shop, title="Tee", category=category)
    ProductFactory(shop=shop, title="Mug")
    page = owner_client.get(list_url(shop, category=category.parent_id)).content.decode()
    assert "Tee" in page and "Mug" not in page


def test_keyset_pages_walk_forward_and_back_without_gaps(owner_client, shop):
    bulk_products(shop, 120)
    seen = []
    response = owner_client.get(list_url(shop))
    pages = [response.context["page"]]
    while pages[-1].next_cursor:
        pages.append(owner_client.get(list_url(shop, after=pages[-1].next_cursor)).context["page"])
    for page in pages:
        seen += [p.pk for p in page.object_list]
    assert len(seen) == 120 == len(set(seen))
    back = owner_client.get(list_url(shop, before=pages[-1].prev_cursor)).context["page"]
    assert [p.pk for p in back.object_list] == [p.pk for p in pages[-2].object_list]
    by_title = owner_client.get(list_url(shop, sort="title")).context["page"].object_list
    assert by_title[0].title == "Item 00000"


def test_deleted_products_are_kept_out_of_the_list(owner_client, shop):
    ProductFactory(shop=shop, title="Gone", status=S.DELETED)
    page = owner_client.get(list_url(shop)).content.decode()
    assert "Gone" not in page and "Recently deleted (1)" in page


# --- inline edit ------------------------------------------------------------------------------


def inline_url(shop, sku):
    return reverse("catalog:product_sku_inline", kwargs={"shop_slug": shop.slug, "sku_id": sku.pk})


def test_inline_edit_saves_price_and_stock_with_a_movement(owner_client, shop, owner):
    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, on_hand=10)
    response = owner_client.post(
        inline_url(shop, sku),
        {"version": sku.version, "price": "12.50", "on_hand": "14"},
        headers={"HX-Request": "true"},
    )
    assert "Saved." in response.content.decode()
    sku.refresh_from_db()
    assert (sku.price, sku.on_hand, sku.version) == (Decimal("12.50"), 14, 2)
    with scope(shop=shop):
        movement = StockMovement.objects.get(sku=sku)
    assert (movement.on_hand_delta, movement.reason, movement.actor) == (4, "adjustment", owner)


def test_inline_edit_loser_of_a_concurrent_edit_is_told_and_nothing_is_overwritten(
    owner_client, shop
):
    sku = SKUFactory(product__shop=shop, on_hand=10)
    seen_version = sku.version
    # Another tab saves first.
    owner_client.post(
        inline_url(shop, sku), {"version": seen_version, "price": "15.00", "on_hand": "10"}
    )
    response = owner_client.post(
        inline_url(shop, sku), {"version": seen_version, "price": "11.00", "on_hand": "99"}
    )
    body = response.content.decode()
    assert "was changed by someone else" in body and "Your change was not saved" in body
    sku.refresh_from_db()
    assert (sku.price, sku.on_hand) == (Decimal("15.00"), 10)


@pytest.mark.parametrize(
    ("price", "on_hand", "message"),
    [
        ("-1", "3", "at least 0.01"),
        ("1.999", "3", "2 decimal places"),
        ("5", "-2", "cannot be negative"),
    ],
)
def test_inline_edit_bad_input(owner_client, shop, price, on_hand, message):
    sku = SKUFactory(product__shop=shop)
    response = owner_client.post(
        inline_url(shop, sku), {"version": sku.version, "price": price, "on_hand": on_hand}
    )
    assert message in response.content.decode()
    sku.refresh_from_db()
    assert sku.version == 1


def test_inline_stock_cannot_go_below_reserved(owner_client, shop):
    sku = SKUFactory(product__shop=shop, on_hand=10, reserved=4)
    response = owner_client.post(
        inline_url(shop, sku), {"version": 1, "price": "5", "on_hand": "3"}
    )
    assert "below the 4 units reserved" in response.content.decode()


def test_variants_row_lists_inline_forms(owner_client, shop):
    sku = SKUFactory(product__shop=shop, seller_sku="ROW-1")
    url = reverse(
        "catalog:product_variants", kwargs={"shop_slug": shop.slug, "product_id": sku.product_id}
    )
    body = owner_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'id="sku-{sku.pk}"' in body and "ROW-1" in body and "<html" not in body


# --- bulk -------------------------------------------------------------------------------------


def bulk_url(shop):
    return reverse("catalog:product_bulk", kwargs={"shop_slug": shop.slug})


def test_bulk_activate_selection_sends_incomplete_ones_to_issues(owner_client, shop):
    good = listable_product(shop)
    bad = ProductFactory(shop=shop, status=S.DRAFT)
    response = owner_client.post(
        bulk_url(shop),
        {"action": "activate", "scope": "selected", "ids": [good.pk, bad.pk]},
        follow=True,
    )
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == S.LIVE
    assert bad.status == S.ISSUES and "Add at least one image." in bad.status_reason
    assert "1 moved to Issues" in response.content.decode()


def test_bulk_delete_asks_for_confirmation_first(owner_client, shop):
    with scope(shop=shop):
        products = bulk_products(shop, 3)
    data = {"action": "delete", "scope": "selected", "ids": [p.pk for p in products[:2]]}
    response = owner_client.post(bulk_url(shop), data)
    assert "Delete 2 products?" in response.content.decode()
    with scope(shop=shop):
        assert Product.objects.filter(status=S.DELETED).count() == 0
    owner_client.post(bulk_url(shop), {**data, "confirm": "1"})
    with scope(shop=shop):
        assert Product.objects.filter(status=S.DELETED).count() == 2


def test_bulk_on_the_whole_filtered_set(owner_client, shop):
    with scope(shop=shop):
        bulk_products(shop, 30)
        SKUFactory(product__shop=shop, product__title="Other", seller_sku="OTHER")
    data = {"action": "set_price", "value": "7.25", "scope": "all", "q": "Item"}
    confirm = owner_client.post(bulk_url(shop), data).content.decode()
    assert "Set price 30 products?" in confirm
    owner_client.post(bulk_url(shop), {**data, "confirm": "1"})
    with scope(shop=shop):
        assert SKU.objects.filter(price=Decimal("7.25")).count() == 30
        assert SKU.objects.get(seller_sku="OTHER").price == Decimal("19.99")


def test_bulk_set_stock_writes_movements_and_respects_reserved(owner_client, shop):
    with scope(shop=shop):
        a = SKUFactory(product__shop=shop, on_hand=2)
        b = SKUFactory(product__shop=shop, on_hand=10, reserved=8)
    owner_client.post(
        bulk_url(shop),
        {
            "action": "set_stock",
            "value": "6",
            "scope": "selected",
            "ids": [a.product_id, b.product_id],
        },
    )
    a.refresh_from_db()
    b.refresh_from_db()
    with scope(shop=shop):
        assert a.on_hand == 6 and StockMovement.objects.get(sku=a).on_hand_delta == 4
    assert b.on_hand == 10


@pytest.mark.parametrize("value", ["-1", "abc", "1.234", "0"])
def test_bulk_set_price_bad_values_change_nothing(owner_client, shop, value):
    sku = SKUFactory(product__shop=shop)
    owner_client.post(
        bulk_url(shop),
        {"action": "set_price", "value": value, "scope": "selected", "ids": [sku.product_id]},
    )
    sku.refresh_from_db()
    assert sku.price == Decimal("19.99")


def test_bulk_deactivate_skips_what_the_rules_forbid(owner_client, shop):
    live = listable_product(shop, status=S.LIVE)
    draft = listable_product(shop)
    owner_client.post(
        bulk_url(shop),
        {"action": "deactivate", "scope": "selected", "confirm": "1", "ids": [live.pk, draft.pk]},
    )
    live.refresh_from_db()
    draft.refresh_from_db()
    assert (live.status, draft.status) == (S.DEACTIVATED, S.DRAFT)


def test_bulk_ids_of_another_shop_are_ignored(owner_client, shop, other_shop):
    foreign = SKUFactory(product__shop=other_shop)
    owner_client.post(
        bulk_url(shop),
        {"action": "set_stock", "value": "99", "scope": "selected", "ids": [foreign.product_id]},
    )
    foreign.refresh_from_db()
    assert foreign.on_hand == 10


def test_bulk_on_a_large_set_runs_as_a_background_task(
    owner_client, shop, django_capture_on_commit_callbacks, override_policy
):
    override_policy(bulk_sync_max_products=10)
    bulk_products(shop, 25)
    data = {"action": "set_stock", "value": "4", "scope": "all", "confirm": "1"}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = owner_client.post(bulk_url(shop), data, follow=True)
    # The task is queued once, on commit (the other callbacks refresh Home's stock figure).
    queued = [c for c in callbacks if getattr(c, "func", None) == product_bulk_action_task.delay]
    assert len(queued) == 1
    assert "running in the background" in response.content.decode()
    with scope(shop=shop):
        assert set(SKU.objects.filter(shop=shop).values_list("on_hand", flat=True)) == {4}
    # A bad value is refused at once, nothing queued.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = owner_client.post(bulk_url(shop), {**data, "value": "-1"}, follow=True)
    assert not callbacks and "Stock cannot be negative." in response.content.decode()


def test_each_row_links_to_its_product_and_shows_its_status_and_category(owner_client, shop):
    from catalog.models import Category

    shoes = Category.objects.create(name="Shoes", slug="shoes-row-test")
    products = [
        ProductFactory(shop=shop, title=f"Row {i}", category=shoes, status=S.DRAFT)
        for i in range(3)
    ]
    html = owner_client.get(list_url(shop, status=S.DRAFT)).content.decode()
    for p in products:
        detail = reverse(
            "catalog:product_detail", kwargs={"shop_slug": shop.slug, "product_id": p.pk}
        )
        assert f'href="{detail}"' in html
    assert html.count("· Shoes") == 3 and ">Draft</span>" in html

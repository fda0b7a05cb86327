"""Inventory sync from a connected Shopify store, against a local fake of the Admin REST API:
pages followed, 429s waited out (injected sleep), failures write nothing, only this shop's SKUs."""

import pytest
from django_scopes import scope

from accounts import crypto
from catalog.models import SKU, StockMovement
from openplatform.models import InventoryConnection
from openplatform.sync.services import inventory_sync, store_connect
from openplatform.sync.shopify import MAX_RETRIES, ShopifyAdmin
from tests.factories import SKUFactory
from tests.openplatform.fake_shopify import FakeShopify

pytestmark = pytest.mark.django_db
SYNC = StockMovement.Reason.SYNC


@pytest.fixture
def connect(settings, owner):
    def connect_to(fake, shop, token="shpat_good"):
        settings.SHOPIFY_ADMIN_BASE_URL = fake.base_url
        with scope(shop=shop):
            return store_connect(
                shop=shop, actor=owner, store_domain="alpha.myshopify.com", access_token=token
            )

    return connect_to


def run_sync(shop, sleeps=None):
    with scope(shop=shop):
        connection = InventoryConnection.objects.get(shop=shop)
        client = ShopifyAdmin(
            domain=connection.store_domain,
            token=crypto.decrypt(connection.token_encrypted),
            sleep=(sleeps if sleeps is not None else []).append,
        )
        outcome = inventory_sync(shop=shop, client=client)
        return outcome, InventoryConnection.objects.get(shop=shop)


def one_mug(shop, *, on_hand=1, reserved=0, store_has=9) -> FakeShopify:
    """The shop sells a MUG (``on_hand`` units); the fake store lists it with ``store_has``."""
    SKUFactory(product__shop=shop, seller_sku="MUG", on_hand=on_hand, reserved=reserved)
    return FakeShopify(products=[(1, [("MUG", 7)])], levels={7: [store_has]})


def sync_throttled(shop, connect, *, times: int):
    """Sync the one-MUG shop against a store that answers 429 ``times`` in a row first:
    (outcome, connection, the sleeps the client asked for)."""
    sleeps = []
    with one_mug(shop) as fake:
        connect(fake, shop)
        fake.throttle = times
        outcome, connection = run_sync(shop, sleeps)
    return outcome, connection, sleeps


def stock(shop, code):
    with scope(shop=shop):
        return SKU.objects.get(shop=shop, seller_sku=code).on_hand


def sync_movements(shop):
    with scope(shop=shop):
        return list(
            StockMovement.objects.filter(shop=shop, reason=SYNC).values_list(
                "sku__seller_sku", "on_hand_delta"
            )
        )


def test_the_sync_follows_every_page_and_sums_the_locations(shop, connect):
    for n in range(5):
        SKUFactory(product__shop=shop, seller_sku=f"TEE-{n}", on_hand=10)
    products = [(n, [(f"TEE-{n}", 500 + n)]) for n in range(5)]
    levels = {500 + n: [n, 1] for n in range(5)}  # two locations each
    with FakeShopify(products=products, levels=levels, page_size=2) as fake:
        connect(fake, shop)
        outcome, connection = run_sync(shop)
    assert outcome == "synced"
    assert [stock(shop, f"TEE-{n}") for n in range(5)] == [1, 2, 3, 4, 5]
    assert sorted(sync_movements(shop)) == [(f"TEE-{n}", n + 1 - 10) for n in range(5)]
    assert (connection.last_matched, connection.last_changed, connection.last_unmatched) == (
        5, 5, 0,
    )  # fmt: skip
    assert connection.last_outcome == "ok" and connection.last_sync_at and not connection.last_error
    product_pages = [r for r in fake.requests if "products.json" in r]
    assert len(product_pages) == 3 and "page_info=p2" in product_pages[1]
    assert sum("inventory_levels.json" in r for r in fake.requests) == 5  # 10 levels, 2 a page


def test_a_429_is_waited_out_for_its_retry_after_then_the_sync_goes_on(shop, connect):
    outcome, _, sleeps = sync_throttled(shop, connect, times=2)
    assert outcome == "synced"
    assert sleeps == [2.0, 2.0]
    assert stock(shop, "MUG") == 9


def test_endless_429s_give_up_after_bounded_retries_and_write_nothing(shop, connect):
    outcome, connection, sleeps = sync_throttled(shop, connect, times=100)
    assert outcome == "failed"
    assert len(sleeps) == MAX_RETRIES
    assert "429" in connection.last_error and connection.last_outcome == "failed"
    assert stock(shop, "MUG") == 1 and sync_movements(shop) == []


def test_a_bad_token_fails_with_a_clear_error_and_writes_nothing(shop, connect):
    with one_mug(shop) as fake:
        connect(fake, shop, token="shpat_revoked")
        outcome, connection = run_sync(shop)
    assert outcome == "failed"
    assert "refused the access token (401)" in connection.last_error
    assert stock(shop, "MUG") == 1 and sync_movements(shop) == []
    assert connection.sync_claimed_at is None  # the next run may try again


def test_unmatched_skus_are_counted_and_named(shop, connect):
    SKUFactory(product__shop=shop, seller_sku="MUG", on_hand=1)
    products = [(1, [("MUG", 7), ("ONLY-IN-SHOPIFY", 8)]), (2, [("", 9)])]  # "" has no code
    with FakeShopify(products=products, levels={7: [3], 8: [4], 9: [5]}) as fake:
        connect(fake, shop)
        _, connection = run_sync(shop)
    assert (connection.last_matched, connection.last_changed, connection.last_unmatched) == (
        1, 1, 1,
    )  # fmt: skip
    assert connection.last_notes == ["Not in this shop: ONLY-IN-SHOPIFY."]


def test_a_level_already_equal_writes_no_movement(shop, connect):
    with one_mug(shop, on_hand=4, store_has=4) as fake:
        connect(fake, shop)
        _, connection = run_sync(shop)
        assert (connection.last_matched, connection.last_changed) == (1, 0)
        fake.levels[7] = [6]
        run_sync(shop)
        _, again = run_sync(shop)  # the same level twice: one movement only
    assert sync_movements(shop) == [("MUG", 2)]
    assert (again.last_matched, again.last_changed) == (1, 0)


def test_stock_never_goes_below_the_units_reserved_for_open_orders(shop, connect):
    with one_mug(shop, on_hand=5, reserved=3, store_has=2) as fake:
        connect(fake, shop)
        _, connection = run_sync(shop)
    assert stock(shop, "MUG") == 5 and connection.last_changed == 0
    assert "below the 3 units reserved" in connection.last_notes[0]


def test_one_shops_store_never_touches_another_shops_skus(shop, other_shop, connect):
    SKUFactory(product__shop=shop, seller_sku="MUG", on_hand=1)
    SKUFactory(product__shop=other_shop, seller_sku="MUG", on_hand=1)
    SKUFactory(product__shop=other_shop, seller_sku="ONLY-B", on_hand=1)
    products = [(1, [("MUG", 7), ("ONLY-B", 8)])]
    with FakeShopify(products=products, levels={7: [9], 8: [9]}) as fake:
        connect(fake, shop)
        _, connection = run_sync(shop)
    assert stock(shop, "MUG") == 9
    assert stock(other_shop, "MUG") == 1 and stock(other_shop, "ONLY-B") == 1
    assert sync_movements(other_shop) == []
    assert connection.last_unmatched == 1  # ONLY-B is another shop's code, not this one's


def test_a_store_address_on_a_private_network_is_refused(shop, connect, settings):
    with one_mug(shop) as fake:
        connect(fake, shop)
        settings.WEBHOOKS_ALLOW_LOOPBACK = False
        outcome, connection = run_sync(shop)
    assert outcome == "failed" and fake.requests == []
    assert "private or reserved address" in connection.last_error
    assert stock(shop, "MUG") == 1


def test_a_next_page_on_another_host_is_not_followed(shop, connect):
    SKUFactory(product__shop=shop, seller_sku="MUG", on_hand=1)
    products = [(n, [(f"X{n}", n)]) for n in range(3)]
    with FakeShopify(products=products, levels={}, page_size=2) as fake:
        connect(fake, shop)
        fake.base_url = fake.base_url.replace("127.0.0.1", "localhost")
        outcome, connection = run_sync(shop)
    assert outcome == "failed" and "another host" in connection.last_error
    assert len(fake.requests) == 1


def test_a_running_sync_is_not_started_twice(shop, connect):
    with FakeShopify() as fake:
        connect(fake, shop)
        with scope(shop=shop):
            InventoryConnection.objects.filter(shop=shop).update(sync_claimed_at=fake_now())
        outcome, _ = run_sync(shop)
    assert outcome == "skipped" and fake.requests == []


def fake_now():
    from django.utils import timezone

    return timezone.now()

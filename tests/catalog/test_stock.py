"""Inventory: reservations never oversell, every change is a movement, low/out alerts + digest."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from catalog.models import SKU, Product, StockAlert, StockMovement
from catalog.selectors import inventory_summary
from catalog.services import OutOfStock, StockChange, stock_move, stock_move_many
from catalog.services.alerts import stock_alert_digest_send
from catalog.tasks import purge_deleted_products_task
from tests.concurrency import at_once
from tests.factories import MembershipFactory, ProductFactory, SKUFactory, UserFactory
from tests.queries import statements_run

S = Product.Status
R = StockMovement.Reason


def stock_reserve(*, shop, sku_id, quantity, reference=""):
    stock_move(shop=shop, sku_id=sku_id, reserved=quantity, reason=R.ORDER, reference=reference)


def reserve_cart(*, shop, quantities, reference=""):
    changes = [StockChange(pk, reserved=q) for pk, q in quantities.items()]
    stock_move_many(shop=shop, changes=changes, reason=R.ORDER, reference=reference)


@pytest.mark.django_db
@pytest.mark.parametrize(("stock", "succeeds"), [(0, False), (1, True)])
def test_reserving_the_last_unit_boundary(shop, stock, succeeds):
    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, on_hand=stock)
        if succeeds:
            stock_reserve(shop=shop, sku_id=sku.pk, quantity=1, reference="ORD1")
        else:
            with pytest.raises(OutOfStock):
                stock_reserve(shop=shop, sku_id=sku.pk, quantity=1, reference="ORD1")
        sku.refresh_from_db()
        assert sku.available == 0
        assert StockMovement.objects.filter(sku=sku).count() == (1 if succeeds else 0)


@pytest.mark.django_db
def test_reserve_release_ship_adjust_ledger(shop, owner):
    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, on_hand=10)
        stock_reserve(shop=shop, sku_id=sku.pk, quantity=3)
        stock_move(shop=shop, sku_id=sku.pk, reserved=-1, reason=R.CANCELLATION)
        stock_move(shop=shop, sku_id=sku.pk, on_hand=-2, reserved=-2, reason=R.ORDER)
        stock_move(shop=shop, sku_id=sku.pk, on_hand=1, reason=R.RETURN_RESTOCK, actor=owner)
        sku.refresh_from_db()
        assert (sku.on_hand, sku.reserved, sku.available) == (9, 0, 9)
        totals = StockMovement.objects.filter(sku=sku).aggregate(
            h=Sum("on_hand_delta"), r=Sum("reserved_delta")
        )
        assert (10 + totals["h"], totals["r"]) == (9, 0)
        with pytest.raises(OutOfStock):
            stock_move(shop=shop, sku_id=sku.pk, on_hand=-10, reason=R.ADJUSTMENT)


@pytest.mark.django_db
def test_a_cart_is_reserved_all_or_nothing_in_fixed_statements(shop, django_assert_num_queries):
    with scope(shop=shop):
        low = SKUFactory(product__shop=shop, on_hand=7, low_stock_threshold=3)
        plenty = SKUFactory(product__shop=shop, on_hand=100)
        short = SKUFactory(product__shop=shop, on_hand=2)
        with pytest.raises(OutOfStock) as refused:
            reserve_cart(shop=shop, quantities={plenty.pk: 5, low.pk: 1, short.pk: 3})
        assert (refused.value.sku_id, refused.value.requested) == (short.pk, 3)
        assert not StockMovement.objects.exists()
        assert list(SKU.objects.filter(shop=shop).values_list("reserved", flat=True)) == [0, 0, 0]
        # Lock (in id order), update, movements, alerts, the new alert and the shop's webhook
        # subscriptions (stock.low; a shared figure, read from the database this first time):
        # whatever the cart size.
        with CaptureQueriesContext(connection) as ctx:
            reserve_cart(shop=shop, quantities={plenty.pk: 5, low.pk: 4}, reference="ORD9")
        assert len(statements_run(ctx)) == 6
        assert {s.pk: s.reserved for s in SKU.objects.filter(shop=shop)} == {
            low.pk: 4,
            plenty.pk: 5,
            short.pk: 0,
        }
        assert sorted(
            StockMovement.objects.filter(reference="ORD9").values_list("sku_id", "reserved_delta")
        ) == sorted([(low.pk, 4), (plenty.pk, 5)])
        # The alert reads the stock just written: 3 left of threshold 3 is low.
        alert = StockAlert.objects.get()
        assert (alert.sku_id, alert.kind, alert.available) == (low.pk, "low", 3)
        with pytest.raises(OutOfStock):
            reserve_cart(shop=shop, quantities={424242: 1})  # not this shop's SKU
        # Plenty in stock and no open alert: no alert statement at all.
        with django_assert_num_queries(3):
            reserve_cart(shop=shop, quantities={plenty.pk: 1})
        # An alert left open while the SKU is in stock (its threshold was lowered) is closed.
        stale = StockAlert.objects.create(shop=shop, sku=plenty, kind="low", available=5)
        reserve_cart(shop=shop, quantities={plenty.pk: 1})
    stale.refresh_from_db()
    assert stale.resolved_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_200_concurrent_reservations_against_stock_50_never_oversell():
    from tests.factories import ShopFactory

    shop = ShopFactory()
    sku = SKUFactory(product__shop=shop, on_hand=50)
    ok, refused = [], []

    def worker(n):
        with scope(shop=shop):  # each thread, as each checkout, works in the shop's scope
            for i in range(8):
                try:
                    stock_reserve(shop=shop, sku_id=sku.pk, quantity=1, reference=f"T{n}-{i}")
                    ok.append(1)
                except OutOfStock:
                    refused.append(1)

    at_once(worker, range(25))  # 25 connections × 8 = 200; an error is raised here
    assert (len(ok), len(refused)) == (50, 150)
    sku.refresh_from_db()
    assert (sku.on_hand, sku.reserved, sku.available) == (50, 50, 0)
    with scope(shop=shop):
        ledger = StockMovement.objects.filter(sku=sku).aggregate(r=Sum("reserved_delta"))
        assert ledger["r"] == 50 == sku.on_hand
        assert StockAlert.objects.filter(sku=sku, resolved_at__isnull=True, kind="out").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_check_constraint_is_the_backstop():
    from django.db import IntegrityError

    from tests.factories import ShopFactory

    sku = SKUFactory(product__shop=ShopFactory(), on_hand=1)
    with scope(shop=sku.shop), pytest.raises(IntegrityError):
        SKU.objects.filter(pk=sku.pk).update(reserved=2)
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
def test_alerts_open_on_crossing_escalate_and_close(shop):
    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, on_hand=7, low_stock_threshold=3)
        stock_reserve(shop=shop, sku_id=sku.pk, quantity=3)  # 4 available: above 3
        assert not StockAlert.objects.exists()
        stock_reserve(shop=shop, sku_id=sku.pk, quantity=1)  # 3 available: low (at the threshold)
        alert = StockAlert.objects.get()
        assert (alert.kind, alert.available) == ("low", 3)
        stock_reserve(shop=shop, sku_id=sku.pk, quantity=1)  # still low: no second alert
        assert StockAlert.objects.count() == 1
        stock_reserve(shop=shop, sku_id=sku.pk, quantity=2)  # out
        assert list(
            StockAlert.objects.filter(resolved_at__isnull=True).values_list("kind", flat=True)
        ) == ["out"]
        stock_move(shop=shop, sku_id=sku.pk, on_hand=20, reason=R.ADJUSTMENT)
        assert not StockAlert.objects.filter(resolved_at__isnull=True).exists()


@pytest.mark.django_db
def test_shop_default_threshold_applies_without_a_sku_threshold(shop):
    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, on_hand=6)  # shop default is 5
        stock_reserve(shop=shop, sku_id=sku.pk, quantity=1)
        assert StockAlert.objects.get().kind == "low"


@pytest.mark.django_db
def test_daily_digest_mails_new_alerts_once(shop, owner):
    with scope(shop=shop):
        MembershipFactory(shop=shop, role="manager", user=UserFactory(email="manager@alpha.test"))
        MembershipFactory(shop=shop, role="staff", user=UserFactory(email="staff@alpha.test"))
        sku = SKUFactory(
            product__shop=shop, product__title="Blue mug", seller_sku="MUG-1", on_hand=1
        )
        stock_reserve(shop=shop, sku_id=sku.pk, quantity=1)
    assert stock_alert_digest_send() == 1
    assert stock_alert_digest_send() == 0  # re-run sends nothing twice


@pytest.mark.django_db(transaction=True)
def test_digest_email_content_and_recipients():
    from tests.factories import ShopFactory

    shop = ShopFactory(name="Alpha")
    owner = MembershipFactory(shop=shop, role="owner", user=UserFactory(email="o@a.test")).user
    MembershipFactory(shop=shop, role="staff", user=UserFactory(email="s@a.test"))
    sku = SKUFactory(product__shop=shop, product__title="Blue mug", seller_sku="MUG-1", on_hand=1)
    with scope(shop=shop):
        stock_reserve(shop=shop, sku_id=sku.pk, quantity=1)
    mail.outbox.clear()
    stock_alert_digest_send()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "1 out of stock" in message.subject and "MUG-1 · Blue mug" in message.body
    stock_alert_digest_send()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_inventory_summary_for_the_home_tile(shop):
    with scope(shop=shop):
        SKUFactory(product__shop=shop, on_hand=50)
        SKUFactory(product__shop=shop, on_hand=5)  # low (= default 5)
        SKUFactory(product__shop=shop, on_hand=2, low_stock_threshold=1)  # in: own threshold 1
        SKUFactory(product__shop=shop, on_hand=0)  # out
        SKUFactory(product__shop=shop, on_hand=0, product__status=S.DELETED)  # not counted
        assert inventory_summary(shop) == {"low_stock": 1, "out_of_stock": 1}


@pytest.mark.django_db
def test_alert_page_lists_open_alerts(owner_client, shop):
    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, seller_sku="LOW-1", on_hand=1)
        stock_reserve(shop=shop, sku_id=sku.pk, quantity=1)
    page = owner_client.get(
        reverse("catalog:product_alerts", kwargs={"shop_slug": shop.slug})
    ).content.decode()
    assert "LOW-1" in page and "Out of stock" in page


@pytest.mark.django_db
def test_purge_removes_products_deleted_more_than_30_days_ago(shop):
    with scope(shop=shop):
        old = ProductFactory(
            shop=shop, status=S.DELETED, deleted_at=timezone.now() - timedelta(days=31)
        )
        recent = ProductFactory(
            shop=shop, status=S.DELETED, deleted_at=timezone.now() - timedelta(days=29)
        )
    assert purge_deleted_products_task() == 1
    with scope(shop=shop):
        assert not Product.objects.filter(pk=old.pk).exists()
        assert Product.objects.filter(pk=recent.pk).exists()

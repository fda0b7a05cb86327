"""The transition helper at its boundaries: a refused move writes nothing, a bulk move skips
and reports the rows in the wrong state, and concurrent moves of one row make one step."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django_scopes import scope, scopes_disabled

from catalog.models import Product, ProductStatusChange
from catalog.services.products.status import product_transition
from catalog.services.system import products_system_delist
from common.errors import IllegalTransition
from common.transitions import TransitionRefused, transition, transition_bulk
from orders.models import Order, OrderStatusChange
from orders.services.transitions import ActorKind, order_transition
from shops.models import Shop, ShopStatusChange
from shops.services.shop_status import shop_set_status
from tests.concurrency import at_once
from tests.factories import OrderFactory, ProductFactory, UserFactory

S = Product.Status


def seller_history(product):
    return {"by": ProductStatusChange.By.SELLER, "actor": None, "reason": ""}


@pytest.mark.django_db
def test_a_move_the_table_refuses_raises_and_writes_nothing(shop):
    with scope(shop=shop):
        product = ProductFactory(shop=shop, status=S.DRAFT, status_reason="")
        before = Product.objects.values().get(pk=product.pk)
        with pytest.raises(TransitionRefused, match="product is draft; it cannot become delisted"):
            transition(
                product,
                S.DELISTED,
                fields={"status_reason": "should not be written"},
                history=seller_history,
            )
        assert Product.objects.values().get(pk=product.pk) == before
        assert not ProductStatusChange.objects.filter(product=product).exists()
    assert product.status == S.DRAFT  # the caller's object is left as it was too


@pytest.mark.django_db
def test_a_refused_order_step_keeps_the_services_message_and_writes_no_history(shop):
    with scope(shop=shop):
        order = OrderFactory(shop=shop, status=Order.Status.COMPLETED)
        with pytest.raises(
            IllegalTransition, match=f"Order {order.number} is completed; it cannot"
        ):
            with scope(shop=shop):
                order_transition(
                    order=order, to_status=Order.Status.CANCELLED, actor_kind=ActorKind.SYSTEM
                )
        order.refresh_from_db()
        assert order.status == Order.Status.COMPLETED and order.cancelled_by == ""
        assert not OrderStatusChange.objects.filter(order=order).exists()


@pytest.mark.django_db
def test_a_callers_rule_refuses_before_the_table_and_writes_nothing(shop, owner):
    """Delisted → live is in the table (the system's re-listing), but not for the seller."""
    with scope(shop=shop):
        product = ProductFactory(shop=shop, status=S.DELISTED, delisted_by="inactivity")
        with pytest.raises(TransitionRefused, match="Re-list your store"):
            product_transition(shop=shop, actor=owner, product=product, to=S.LIVE)
        product.refresh_from_db()
        assert (product.status, product.delisted_by) == (S.DELISTED, "inactivity")
        assert not ProductStatusChange.objects.filter(product=product).exists()


@pytest.mark.django_db
def test_a_bulk_move_skips_and_reports_rows_in_the_wrong_state(shop):
    with scope(shop=shop):
        live = ProductFactory(shop=shop, title="Live", status=S.LIVE)
        issues = ProductFactory(shop=shop, title="Issues", status=S.ISSUES)
        draft = ProductFactory(shop=shop, title="Draft", status=S.DRAFT)
        deleted = ProductFactory(shop=shop, title="Deleted", status=S.DELETED)

        result = transition_bulk(
            Product.objects.filter(shop=shop),
            S.DEACTIVATED,
            fields={"status_before_delete": F("status")},  # the value before the UPDATE
            history=lambda row: {"by": "seller", "actor": None, "reason": f"was {row.status}"},
        )

        assert sorted(p.title for p in result.moved) == ["Issues", "Live"]
        assert {p.title: why for p, why in result.skipped} == {
            "Draft": "This product is draft; it cannot become deactivated.",
            "Deleted": "This product is deleted; it cannot become deactivated.",
        }
        rows = dict(Product.objects.filter(shop=shop).values_list("title", "status"))
        assert rows == {
            "Live": "deactivated",
            "Issues": "deactivated",
            "Draft": "draft",
            "Deleted": "deleted",
        }
        live.refresh_from_db()
        assert live.status_before_delete == "live"
        history = ProductStatusChange.objects.filter(shop=shop)
        assert sorted(history.values_list("product_id", "from_status", "to_status", "reason")) == [
            (live.pk, "live", "deactivated", "was live"),
            (issues.pk, "issues", "deactivated", "was issues"),
        ]
        assert not history.filter(product__in=[draft, deleted]).exists()


@pytest.mark.django_db
def test_a_bulk_move_with_nothing_to_move_writes_nothing(shop):
    with scope(shop=shop):
        ProductFactory(shop=shop, status=S.DRAFT)
        result = transition_bulk(Product.objects.filter(shop=shop), S.SUSPENDED)
        assert result.moved == [] and len(result.skipped) == 1
        assert not ProductStatusChange.objects.exists()


# --- PostgreSQL: real concurrency -------------------------------------------------------------
WORKERS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_of_one_row_make_one_step_and_one_history_row(shop):
    staff = UserFactory(is_staff=True)

    def ban(i):
        try:
            shop_set_status(shop=Shop.objects.get(pk=shop.pk), actor=staff, to="banned")
            return "banned"
        except ValidationError as refused:
            return refused.messages[0]

    results = at_once(ban, range(WORKERS))
    assert results.count("banned") == 1
    assert set(results) - {"banned"} == {"A shop cannot go from Banned to Banned."}
    with scope(shop=shop):
        assert ShopStatusChange.objects.filter(shop=shop).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bulk_moves_of_the_same_rows_write_one_history_row_each(shop):
    products = [ProductFactory(shop=shop, status=S.LIVE) for _ in range(20)]

    def delist(i):
        with scopes_disabled():  # as the sweep runs: across shops
            return products_system_delist(shop_ids=[shop.pk], delisted_by="deactivation")

    assert sorted(at_once(delist, range(WORKERS))) == [0] * (WORKERS - 1) + [20]
    with scope(shop=shop):
        assert ProductStatusChange.objects.filter(shop=shop).count() == len(products)
        statuses = set(Product.objects.filter(shop=shop).values_list("status", flat=True))
    assert statuses == {"delisted"}

"""Tasks open their own scope: a shop task works inside its shop's, every other task starts with
none — also when Celery runs it inline in a request or a test, as it does here."""

import logging

import pytest
from celery import shared_task
from django_scopes import ScopeError, scope, scopes_disabled

from catalog.models import Product
from lifecycle.models import EligibilityEvaluation
from lifecycle.tasks import eligibility_evaluate_task
from orders.tasks import send_order_confirmation_task
from shops.tasking import ShopTask
from tests.factories import ProductFactory, ShopFactory


@shared_task(base=ShopTask)
def titles_a_shop_task_sees(*, shop) -> list[str]:
    return sorted(Product.objects.values_list("title", flat=True))


@shared_task
def products_a_plain_task_counts() -> int:
    return Product.objects.count()


@pytest.fixture
def two_shops_products(shop, other_shop):
    ProductFactory(shop=shop, title="Alpha mug")
    ProductFactory(shop=shop, title="Alpha tee")
    ProductFactory(shop=other_shop, title="Beta mug")


def test_a_shop_task_sees_only_its_own_shops_rows(shop, other_shop, two_shops_products):
    assert titles_a_shop_task_sees.delay(shop_id=shop.pk).get() == ["Alpha mug", "Alpha tee"]
    assert titles_a_shop_task_sees.delay(shop_id=other_shop.pk).get() == ["Beta mug"]


def test_a_shop_task_queued_from_inside_another_shops_scope_still_sees_its_own(
    shop, other_shop, two_shops_products
):
    with scope(shop=other_shop):
        assert titles_a_shop_task_sees.delay(shop_id=shop.pk).get() == ["Alpha mug", "Alpha tee"]


def test_a_task_inherits_no_scope_from_its_caller(shop, two_shops_products):
    with scope(shop=shop), pytest.raises(ScopeError):
        products_a_plain_task_counts.delay()


def test_a_shop_task_for_a_shop_that_is_gone_does_nothing_and_says_so(db, caplog):
    gone = ShopFactory()
    gone_id = gone.pk
    gone.delete()

    with caplog.at_level(logging.WARNING, logger="shops.tasking"):
        eligibility_evaluate_task.delay(shop_id=gone_id)

    with scopes_disabled():  # nothing was written for any shop
        assert not EligibilityEvaluation.objects.exists()
    assert f"shop {gone_id} no longer exists" in caplog.text


def test_a_shop_task_queued_without_its_shop_is_refused_at_the_call(shop):
    with pytest.raises(TypeError, match="shop_id"):
        send_order_confirmation_task.delay(order_id=1)
    with pytest.raises(TypeError, match="shop_id"):  # not later, when the transaction commits
        send_order_confirmation_task.delay_on_commit(order_id=1)


def test_a_shop_task_queued_with_a_wrong_argument_is_refused_at_the_call(shop):
    with pytest.raises(TypeError):
        send_order_confirmation_task.delay(shop_id=shop.pk, order=1)

"""Test bodies run with tenancy scoping on; only fixture set-up and tear-down run without it.

So a service, task or page that reads shop-owned rows without opening its shop's scope fails
its test here exactly as it would raise in production.
"""

import pytest
from django_scopes import ScopeError, get_scope, scope, scopes_disabled

from catalog.models import Product
from tests.factories import ProductFactory


@pytest.fixture
def titles_seen_while_building(shop, other_shop):
    """A fixture reads across shops freely: scoping is off while fixtures are built."""
    ProductFactory(shop=shop, title="Alpha mug")
    ProductFactory(shop=other_shop, title="Beta mug")
    return sorted(Product.objects.values_list("title", flat=True))


@pytest.fixture
def scope_left_open_by_a_fixture(shop):
    """A yield fixture that holds a shop scope open across the test body."""
    with scope(shop=shop):
        yield


def test_fixtures_are_built_with_scoping_off(titles_seen_while_building):
    assert titles_seen_while_building == ["Alpha mug", "Beta mug"]


def test_a_test_body_that_reads_without_a_scope_fails(shop):
    ProductFactory(shop=shop)

    with pytest.raises(ScopeError):
        Product.objects.count()


def test_a_test_body_reads_one_shop_inside_its_scope(shop, other_shop):
    ProductFactory(shop=shop, title="Alpha mug")
    ProductFactory(shop=other_shop, title="Beta mug")

    with scope(shop=shop):
        assert list(Product.objects.values_list("title", flat=True)) == ["Alpha mug"]


def test_a_scope_a_fixture_left_open_does_not_reach_the_body(scope_left_open_by_a_fixture):
    assert get_scope() == {}
    with pytest.raises(ScopeError):
        Product.objects.count()


_LEFT_OPEN = []  # kept referenced, so nothing closes them behind the runner's back


@pytest.mark.parametrize("turn", ["first", "second"])
def test_nothing_a_test_body_leaves_open_reaches_the_next_test(shop, turn):
    """Both runs start unscoped, though each leaves scoping disabled behind it."""
    assert get_scope() == {}
    with pytest.raises(ScopeError):
        Product.objects.count()

    left_open = scopes_disabled()
    left_open.__enter__()  # never exited: the runner must still clean up after it
    _LEFT_OPEN.append(left_open)

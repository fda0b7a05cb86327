"""A new seller's first Home: a getting-started checklist instead of figures that are all zero;
a verified shop never shows its onboarding steps as "Missing"."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from shops.models import BankAccount, Shop
from tests.factories import (
    MembershipFactory,
    OrderFactory,
    ShopFactory,
    SKUFactory,
    UserFactory,
    sign_in_verified,
)
from tests.orders.conftest import make_template

pytestmark = pytest.mark.django_db


def steps(html: str) -> dict[str, str]:
    """{step key: "done" | "missing"} of the checklist on the page."""
    return dict(
        (key, state)
        for state, key in re.findall(r'<li class="(done|missing)" data-step="(\w+)"', html)
    )


@pytest.fixture
def new_shop(db):
    return ShopFactory(name="Fresh Start", slug="fresh", status=Shop.Status.PENDING_VERIFICATION)


@pytest.fixture
def new_owner(new_shop):
    return MembershipFactory(shop=new_shop, role="owner", user=UserFactory()).user


def test_a_new_sellers_home_is_a_checklist_instead_of_zero_tiles(client, new_shop, new_owner):
    client.force_login(new_owner)
    html = client.get(reverse("home", kwargs={"shop_slug": new_shop.slug})).content.decode()
    assert "Welcome to Seller Center" in html and "Welcome back" not in html
    assert 'id="tiles"' not in html and "SPS" not in html
    assert steps(html) == {
        "verification": "missing",
        "bank_account": "missing",
        "product": "missing",
        "shipping": "missing",
        "two_step": "missing",
    }
    assert "0 of 5 done" in html
    assert reverse("catalog:product_create", kwargs={"shop_slug": new_shop.slug}) in html


def test_each_step_is_ticked_by_the_shops_own_rows(client, new_shop, new_owner):
    with scope(shop=new_shop):
        SKUFactory(product__shop=new_shop)
        make_template(new_shop)
    sign_in_verified(client, new_owner)  # two-step on, and used by this session
    html = client.get(reverse("home", kwargs={"shop_slug": new_shop.slug})).content.decode()
    assert steps(html) == {
        "verification": "missing",
        "bank_account": "missing",
        "product": "done",
        "shipping": "done",
        "two_step": "done",
    }


def test_the_first_order_brings_the_figures_back_next_to_the_unfinished_steps(
    client, new_shop, new_owner
):
    with scope(shop=new_shop):
        OrderFactory(shop=new_shop)
    client.force_login(new_owner)
    html = client.get(reverse("home", kwargs={"shop_slug": new_shop.slug})).content.decode()
    assert 'id="tiles"' in html and 'id="getting-started"' in html


def test_a_ready_shop_shows_no_checklist(client, shop, owner):
    with scope(shop=shop):
        SKUFactory(product__shop=shop)
        make_template(shop)
        BankAccount.objects.create(
            shop=shop, holder_name="A", routing_number="021000021", account_last4="1234",
            account_number_encrypted="x",
        )  # fmt: skip
    sign_in_verified(client, owner)
    html = client.get(reverse("home", kwargs={"shop_slug": shop.slug})).content.decode()
    assert 'id="getting-started"' not in html and "Welcome back" in html


def test_a_step_staff_cannot_open_is_shown_without_its_link(client, new_shop):
    staff = MembershipFactory(shop=new_shop, role="staff", user=UserFactory()).user
    client.force_login(staff)
    html = client.get(reverse("home", kwargs={"shop_slug": new_shop.slug})).content.decode()
    assert reverse("catalog:product_create", kwargs={"shop_slug": new_shop.slug}) not in html
    assert "Your shop's owner does this" in html


def test_an_active_verified_shop_never_shows_onboarding_steps_as_missing(client, shop, owner):
    # An active shop with nothing on file for some steps (created before they existed).
    client.force_login(owner)
    html = client.get(
        reverse("onboarding:progress", kwargs={"shop_slug": shop.slug})
    ).content.decode()
    assert "Missing" not in html and "verified and active" in html


def test_a_ready_shop_is_remembered_and_an_unfinished_one_checked_every_time(
    client, new_shop, new_owner
):
    """Nearly every Home is an established shop's: once every step is done the shop's own rows
    are not asked again; a shop still getting ready sees a step ticked on its next Home."""
    home = reverse("home", kwargs={"shop_slug": new_shop.slug})
    sign_in_verified(client, new_owner)
    with scope(shop=new_shop):
        SKUFactory(product__shop=new_shop)
        make_template(new_shop)
        OrderFactory(shop=new_shop)
    assert steps(client.get(home).content.decode())["bank_account"] == "missing"
    with scope(shop=new_shop):
        BankAccount.objects.create(
            shop=new_shop, holder_name="Fresh Start", routing_number="011000015",
            account_number_encrypted="x", account_last4="6789",
        )  # fmt: skip
    with CaptureQueriesContext(connection) as first:
        html = client.get(home).content.decode()
    assert steps(html)["bank_account"] == "done"
    with CaptureQueriesContext(connection) as second:
        client.get(home)

    def asks(ctx):  # the checklist's one query of the shop's own rows
        return [q for q in ctx.captured_queries if 'AS "bank"' in q["sql"]]

    assert len(asks(first)) == 1 and not asks(second)

"""Shipping templates and the one quote function (SPEC §6)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from catalog.models import Product
from common.errors import BadInput
from common.policy import POLICY
from orders.models import ShippingTemplate, ShippingZone
from orders.services.shipping import (
    NotShippable,
    QuoteItem,
    shipping_quote,
    shipping_template_save,
    shipping_zone_save,
)
from tests.factories import SKUFactory
from tests.orders.conftest import make_template, place
from tests.queries import statements_run

pytestmark = pytest.mark.django_db


def items(quantity=1, subtotal="20.00", grams=0, product_id=None):
    return [
        QuoteItem(
            product_id=product_id,
            quantity=quantity,
            unit_price=Decimal(subtotal) / quantity,
            weight_grams=grams // quantity if quantity else 0,
        )
    ]


def test_flat_and_per_item_rates_and_delivery_days(shop, template):
    with scope(shop=shop):
        west = shipping_quote(shop=shop, state="CA", items=items(3))
        assert (west.fee, west.min_days, west.max_days, west.zone_names) == (
            Decimal("5.00"), 2, 4, ("West",),
        )  # fmt: skip
        east = shipping_quote(shop=shop, state="ny", items=items(3))
    assert east.fee == Decimal("10.00")  # 6 + 2 × 2


def test_weight_tiers(shop):
    with scope(shop=shop):
        template = ShippingTemplate.objects.create(shop=shop, name="Heavy", is_default=True)
        shipping_zone_save(
            shop=shop, actor=None, template=template, name="All", states=["TX"],
            rate_type="weight", weight_tiers=[{"up_to_grams": 500, "rate": "4"},
                                              {"up_to_grams": 2000, "rate": "9"}],
            min_days=1, max_days=3,
        )  # fmt: skip
        fee = lambda grams: shipping_quote(shop=shop, state="TX", items=items(1, grams=grams)).fee  # noqa: E731
        assert (fee(500), fee(501), fee(2000), fee(5000)) == (
            Decimal("4.00"), Decimal("9.00"), Decimal("9.00"), Decimal("9.00"),
        )  # fmt: skip


def test_free_shipping_starts_exactly_at_the_threshold(shop):
    with scope(shop=shop):
        make_template(shop, free_over=Decimal("50.00"))
        assert shipping_quote(shop=shop, state="CA", items=items(1, "49.99")).fee == Decimal("5.00")
        free = shipping_quote(shop=shop, state="CA", items=items(1, "50.00"))
    assert free.fee == Decimal("0.00") and free.base_fee == Decimal("5.00")
    assert "Free shipping on orders over $50.00" in free.notes


def test_discounted_and_platform_shipping(shop, settings):
    with scope(shop=shop):
        template = make_template(shop, discount_percent=20)
        assert shipping_quote(shop=shop, state="CA", items=items()).fee == Decimal("4.00")
        template.platform_shipping = "discounted"
        template.save()
        pct = POLICY.platform_shipping_discount_percent
        expected = (Decimal("4.00") * (100 - pct) / 100).quantize(Decimal("0.01"))
        assert shipping_quote(shop=shop, state="CA", items=items()).fee == expected
        template.platform_shipping = "free"
        template.save()
        assert shipping_quote(shop=shop, state="CA", items=items()).fee == Decimal("0.00")


def test_states_outside_every_zone_are_not_shipped_to(shop, template):
    with scope(shop=shop):
        with pytest.raises(NotShippable, match="does not ship to Hawaii"):
            shipping_quote(shop=shop, state="HI", items=items())
        with pytest.raises(BadInput, match="US state"):
            shipping_quote(shop=shop, state="ZZ", items=items())


def test_no_template_means_no_shipping(shop):
    with scope(shop=shop):
        with pytest.raises(NotShippable, match="no shipping template"):
            shipping_quote(shop=shop, state="CA", items=items())


def test_products_naming_another_template_are_quoted_with_it(shop, template):
    with scope(shop=shop):
        express = ShippingTemplate.objects.create(shop=shop, name="Express")
        ShippingZone.objects.create(
            shop=shop, template=express, name="CA", states=["CA"], rate_type="flat",
            flat_rate=Decimal("15.00"), min_days=1, max_days=1,
        )  # fmt: skip
        special = SKUFactory(product__shop=shop, price=Decimal("10.00"))
        plain = SKUFactory(product__shop=shop, price=Decimal("10.00"))
        Product.objects.filter(pk=special.product_id).update(shipping_template_id=express.pk)
        quote = shipping_quote(
            shop=shop, state="CA",
            items=items(1, "10.00", product_id=special.product_id)
            + items(1, "10.00", product_id=plain.product_id),
        )  # fmt: skip
        assert quote.fee == Decimal("20.00") and (quote.min_days, quote.max_days) == (2, 4)
        order = place(shop, (special, 1), (plain, 1))
    assert order.shipping_fee == Decimal("20.00")


def test_templates_without_zones_ship_nowhere(shop):
    """The quote reads zones with their templates; a template with no zone still counts as
    the shop's (or the product's) template, so the buyer hears "does not ship there"."""
    with scope(shop=shop):
        empty_default = ShippingTemplate.objects.create(shop=shop, name="Empty", is_default=True)
        with pytest.raises(NotShippable, match="does not ship to California"):
            shipping_quote(shop=shop, state="CA", items=items())
        zoned = make_template(shop, name="Zoned", default=False)
        bare = ShippingTemplate.objects.create(shop=shop, name="Bare")
        sku = SKUFactory(product__shop=shop, price=Decimal("10.00"))
        Product.objects.filter(pk=sku.product_id).update(shipping_template_id=bare.pk)
        with pytest.raises(NotShippable, match="does not ship to California"):
            shipping_quote(shop=shop, state="CA", items=items(product_id=sku.product_id))
        Product.objects.filter(pk=sku.product_id).update(shipping_template_id=zoned.pk)
        assert (
            shipping_quote(shop=shop, state="CA", items=items(product_id=sku.product_id)).fee == 5
        )
        empty_default.delete()
        zoned.is_default = True
        zoned.save()
        cart = items(product_id=sku.product_id) + items()
        with CaptureQueriesContext(connection) as first:
            quote = shipping_quote(shop=shop, state="CA", items=cart)
        with CaptureQueriesContext(connection) as next_one:
            assert shipping_quote(shop=shop, state="CA", items=cart) == quote
    assert quote.fee == Decimal("5.00")
    # Which templates the products name, then the zones: the shop's figure, read once after
    # the change and from the cache after that.
    assert len(statements_run(first)) == 2
    assert len(statements_run(next_one)) == 1


def test_a_state_belongs_to_one_zone_only(shop, template):
    with scope(shop=shop):
        with pytest.raises(BadInput, match=r"CA \(in West\)"):
            shipping_zone_save(
                shop=shop, actor=None, template=template, name="Pacific", states=["CA", "HI"],
                rate_type="flat", flat_rate=Decimal("9"), min_days=1, max_days=2,
            )  # fmt: skip
        assert ShippingZone.objects.filter(template=template).count() == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"states": []}, "at least one state"),
        ({"states": ["XX"]}, "Unknown state"),
        ({"min_days": 5, "max_days": 2}, "minimum days"),
        ({"flat_rate": Decimal("-1")}, "cannot be negative"),
        ({"rate_type": "weight", "weight_tiers": []}, "weight tier"),
        ({"rate_type": "weight", "weight_tiers": [{"up_to_grams": 9, "rate": 1},
                                                  {"up_to_grams": 5, "rate": 2}]}, "must go up"),
    ],
)  # fmt: skip
def test_bad_zones_are_refused(shop, template, kwargs, message):
    base = {"name": "Islands", "states": ["HI"], "rate_type": "flat", "flat_rate": Decimal("1"),
            "min_days": 1, "max_days": 2}  # fmt: skip
    with pytest.raises(BadInput, match=message):
        shipping_zone_save(shop=shop, actor=None, template=template, **{**base, **kwargs})


def test_first_template_is_the_default_and_only_one_default(shop):
    with scope(shop=shop):
        first = shipping_template_save(
            shop=shop, actor=None, name="Standard", free_shipping_threshold=None,
            discount_percent=0, platform_shipping="",
        )  # fmt: skip
        second = shipping_template_save(
            shop=shop, actor=None, name="Express", free_shipping_threshold=None,
            discount_percent=0, platform_shipping="", make_default=True,
        )  # fmt: skip
        first.refresh_from_db()
        assert (first.is_default, second.is_default) == (False, True)
        with pytest.raises(BadInput, match="already exists"):
            shipping_template_save(
                shop=shop, actor=None, name="Express", free_shipping_threshold=None,
                discount_percent=0, platform_shipping="",
            )  # fmt: skip


def test_seller_builds_a_template_and_previews_quotes(shop, owner_client):
    url = reverse("orders:shipping", kwargs={"shop_slug": shop.slug})
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(
        url, {"name": "Standard", "free_shipping_threshold": "50", "discount_percent": "0"}
    )
    with scope(shop=shop):
        template = ShippingTemplate.objects.get(shop=shop)
    assert response.status_code == 302 and template.is_default
    detail = reverse(
        "orders:shipping_template",
        kwargs={"shop_slug": shop.slug, "shipping_template_id": template.pk},
    )
    ok = owner_client.post(detail, {"form": "zone", "name": "West", "states": ["CA", "OR"],
                                    "rate_type": "flat", "flat_rate": "4.50",
                                    "min_days": "2", "max_days": "4"})  # fmt: skip
    assert ok.status_code == 302
    clash = owner_client.post(detail, {"form": "zone", "name": "Again", "states": ["CA"],
                                       "rate_type": "flat", "flat_rate": "1"})  # fmt: skip
    assert clash.status_code == 400 and "already zoned" in clash.content.decode()
    bad_money = owner_client.post(detail, {"form": "zone", "name": "X", "states": ["NV"],
                                           "rate_type": "flat", "flat_rate": "abc"})  # fmt: skip
    assert bad_money.status_code == 400
    preview = owner_client.get(detail, {"state": "CA", "quantity": 1, "subtotal": "20"})
    assert "$4.50" in preview.content.decode()
    free = owner_client.get(
        detail, {"state": "CA", "quantity": 2, "subtotal": "60"}, headers={"HX-Request": "true"}
    )
    assert "Free shipping" in free.content.decode() and "<html" not in free.content.decode()
    nowhere = owner_client.get(detail, {"state": "TX", "quantity": 1, "subtotal": "20"})
    assert "does not ship to Texas" in nowhere.content.decode()
    assert "Does not ship to:" in nowhere.content.decode()


def test_staff_role_cannot_open_shipping(client, shop):
    from tests.factories import MembershipFactory

    staff = MembershipFactory(shop=shop, role="staff").user
    client.force_login(staff)
    assert (
        client.get(reverse("orders:shipping", kwargs={"shop_slug": shop.slug})).status_code == 403
    )


def test_seller_points_a_product_at_another_template(shop, owner_client, template, sku, other_shop):
    from tests.factories import ProductFactory

    with scope(shop=shop):
        express = ShippingTemplate.objects.create(shop=shop, name="Express")
    url = reverse(
        "orders:shipping_template",
        kwargs={"shop_slug": shop.slug, "shipping_template_id": express.pk},
    )
    response = owner_client.post(url, {"form": "product", "product_id": sku.product_id})
    assert response.status_code == 302
    with scope(shop=shop):
        assert Product.objects.get(pk=sku.product_id).shipping_template_id == express.pk
    assert sku.product.title in owner_client.get(url).content.decode()
    with scope(shop=shop):
        foreign = ProductFactory(shop=other_shop)
    assert owner_client.post(url, {"form": "product", "product_id": foreign.pk}).status_code == 400
    owner_client.post(url, {"form": "product_remove", "product_id": sku.product_id})
    with scope(shop=shop):
        assert Product.objects.get(pk=sku.product_id).shipping_template_id is None

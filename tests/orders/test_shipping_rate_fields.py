"""A zone's rate fields: the page shows only what the chosen rate type needs, and a value left in
a hidden field (typed under another type, or kept from before) is neither refused nor saved."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope

from orders.models import ShippingZone
from orders.services.shipping import shipping_zone_save

pytestmark = pytest.mark.django_db


def detail_url(template):
    return reverse(
        "orders:shipping_template",
        kwargs={"shop_slug": template.shop.slug, "shipping_template_id": template.pk},
    )


def _zone(template, **rate):
    return {"form": "zone", "name": "Pacific", "states": ["HI"], "min_days": "2",
            "max_days": "5", **rate}  # fmt: skip


def test_a_flat_zone_keeps_only_its_flat_rate(owner_client, template):
    posted = _zone(template, rate_type="flat", flat_rate="4.50", first_item_rate="9.99",
                   additional_item_rate="1.00", weight_tiers="500=3.00")  # fmt: skip
    response = owner_client.post(detail_url(template), posted)
    assert response.status_code == 302, response.get("Location")
    with scope(shop=template.shop):
        zone = ShippingZone.objects.get(name="Pacific")
    assert zone.flat_rate == Decimal("4.50")
    assert (zone.first_item_rate, zone.additional_item_rate, zone.weight_tiers) == (0, 0, [])


def test_a_hidden_field_with_nonsense_does_not_block_the_save(owner_client, template):
    """The per-item inputs are hidden under "By weight tiers": a stray word in one is ignored,
    not shown as an error the seller cannot see."""
    posted = _zone(template, rate_type="weight", weight_tiers="500=3.00\n2000=6.00",
                   first_item_rate="abc", flat_rate="-4")  # fmt: skip
    assert owner_client.post(detail_url(template), posted).status_code == 302
    with scope(shop=template.shop):
        zone = ShippingZone.objects.get(name="Pacific")
    assert zone.weight_tiers == [
        {"up_to_grams": 500, "rate": "3.00"},
        {"up_to_grams": 2000, "rate": "6.00"},
    ]
    assert (zone.flat_rate, zone.first_item_rate) == (0, 0)


def test_the_chosen_types_own_field_is_still_checked(owner_client, template):
    posted = _zone(template, rate_type="per_item", first_item_rate="abc", flat_rate="4.00")
    response = owner_client.post(detail_url(template), posted)
    assert response.status_code == 400
    assert response.context["zone_form"].errors["first_item_rate"] == [
        "First item rate must be a number like 10 or 4.99."
    ]
    with scope(shop=template.shop):
        assert not ShippingZone.objects.filter(name="Pacific").exists()


def test_changing_the_rate_type_clears_the_old_types_values(shop, owner, template):
    with scope(shop=shop):
        zone = shipping_zone_save(
            shop=shop, actor=owner, template=template, name="Pacific", states=["HI"],
            rate_type="per_item", first_item_rate=Decimal("5"), additional_item_rate=Decimal("2"),
            min_days=2, max_days=5,
        )  # fmt: skip
        zone = shipping_zone_save(
            shop=shop, actor=owner, template=template, zone=zone, name="Pacific", states=["HI"],
            rate_type="flat", flat_rate=Decimal("6"), first_item_rate=Decimal("5"),
            additional_item_rate=Decimal("2"), min_days=2, max_days=5,
        )  # fmt: skip
        zone.refresh_from_db()
    assert (zone.flat_rate, zone.first_item_rate, zone.additional_item_rate) == (6, 0, 0)


def test_each_rate_input_is_tagged_with_the_rate_type_that_uses_it(owner_client, template):
    """pages.css hides every [data-rate-for] input but the chosen type's (browser test: tests/
    browser/test_product_form_links.py); the tags come from ShippingZone.RATE_FIELDS."""
    html = owner_client.get(detail_url(template)).content.decode()
    tags = {
        "flat_rate": "flat",
        "first_item_rate": "per_item",
        "additional_item_rate": "per_item",
        "weight_tiers": "weight",
    }
    for name, rate_type in tags.items():
        assert name in ShippingZone.RATE_FIELDS[rate_type]
        start = html.index(f'name="{name}"')
        nearest = html.rindex("data-rate-for=", 0, start)
        assert html.startswith(f'data-rate-for="{rate_type}"', nearest)

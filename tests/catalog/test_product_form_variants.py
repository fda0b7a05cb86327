"""The product form's variant editor: rows added and removed in place (htmx), no fixed or empty
rows, a label for every input, and every error shown at once next to its field."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django_scopes import scope

from catalog.models import SKU
from tests.catalog.test_product_form import form_data, two_variants, url
from tests.factories import SKUFactory

pytestmark = pytest.mark.django_db


class Inputs(HTMLParser):
    """Form controls a person fills in, and the ids that labels point at."""

    def __init__(self):
        super().__init__()
        self.controls, self.labelled = [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.labelled.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(a)


def unlabelled(html: str) -> list[str]:
    parser = Inputs()
    parser.feed(html)
    return [
        c.get("name", "?")
        for c in parser.controls
        if c.get("id") not in parser.labelled and not c.get("aria-label")
    ]


def variant_rows(html: str) -> int:
    return html.count('class="variant-row"')


def test_a_new_product_starts_with_one_row_and_every_input_has_a_label(owner_client, shop):
    html = owner_client.get(url(shop)).content.decode()
    assert variant_rows(html) == 1
    assert 'name="variants-TOTAL_FORMS" value="1"' in html
    assert unlabelled(html) == []


def test_editing_shows_the_variants_and_no_empty_row(owner_client, shop, category):
    with scope(shop=shop):
        sku = SKUFactory(product__shop=shop, seller_sku="TEE-S")
        SKUFactory(product=sku.product, seller_sku="TEE-M")
    edit = reverse(
        "catalog:product_edit", kwargs={"shop_slug": shop.slug, "product_id": sku.product_id}
    )
    html = owner_client.get(edit).content.decode()
    assert variant_rows(html) == 2
    assert 'value="TEE-S"' in html and 'value="TEE-M"' in html
    assert "remove-variant" not in html  # saved rows are removed by their own button:
    assert html.count("remove-saved-variant") == 2  # tests/catalog/test_variant_remove.py
    assert unlabelled(html) == []


def test_add_variant_returns_the_next_row_and_moves_the_count_on(owner_client, shop):
    row_url = url(shop, "catalog:product_variant_row")
    html = owner_client.get(row_url, {"variants-TOTAL_FORMS": "4"}).content.decode()
    assert variant_rows(html) == 1
    assert 'name="variants-4-seller_sku"' in html
    assert '<label class="sr-only" for="id_variants-4-price">Price ($), variant 5</label>' in html
    assert 'id="id_variants-TOTAL_FORMS" value="5" hx-swap-oob="true"' in html
    assert "remove-variant" in html
    assert owner_client.get(row_url, {"remove": "1"}).content == b""
    assert owner_client.get(row_url, {"variants-TOTAL_FORMS": "100"}).status_code == 204


def test_as_many_variants_as_needed_and_a_removed_row_leaves_no_trace(owner_client, shop, category):
    variants = [
        {"seller_sku": f"TEE-{n}", "size": str(n), "price": "20.00", "on_hand": "1"}
        for n in range(7)
    ]
    data = form_data(category, variants)
    for key in [k for k in data if k.startswith("variants-3-")]:
        del data[key]  # the seller removed the fourth row
    response = owner_client.post(url(shop), data)
    assert response.status_code == 302
    with scope(shop=shop):
        codes = sorted(SKU.objects.values_list("seller_sku", flat=True))
    assert codes == ["TEE-0", "TEE-1", "TEE-2", "TEE-4", "TEE-5", "TEE-6"]


def test_every_error_shows_at_once_next_to_its_field(owner_client, shop, category):
    variants = two_variants(price="abc")
    variants[1]["on_hand"] = "-3"
    data = form_data(category, variants, title="")
    response = owner_client.post(url(shop), data)
    assert response.status_code == 400
    html = response.content.decode()
    # The product's own field and both variants' fields, in one answer.
    assert "3 fields to fix" in html
    assert '<a href="#id_title">Title: This field is required.</a>' in html
    assert 'href="#id_variants-0-price">Variant 1, Price:' in html
    assert 'href="#id_variants-1-on_hand">Variant 2, Stock: Stock cannot be negative.' in html
    assert 'id="id_variants-1-on_hand_error"' in html  # the message sits at the field
    assert 'aria-invalid="true"' in html
    assert variant_rows(html) == 2

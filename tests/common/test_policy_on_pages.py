"""Pages and notices show the policy's numbers, not copies typed into templates: change one
value and every place that shows it follows."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_inbox_shows_the_response_rate_window_from_the_policy(
    owner_client, shop, override_policy
):
    override_policy(response_rate_window_days=14)
    page = owner_client.get(reverse("orders:inbox", kwargs={"shop_slug": shop.slug}))
    assert "Response rate · 14 days" in page.content.decode()


def test_recently_deleted_products_show_the_retention_from_the_policy(
    owner_client, shop, override_policy
):
    override_policy(product_deleted_retention_days=45)
    url = reverse("catalog:product_list", kwargs={"shop_slug": shop.slug})
    page = owner_client.get(url + "?status=deleted").content.decode()
    assert "recoverable for 45 days" in page


def test_the_export_page_shows_how_long_exports_are_kept_from_the_policy(
    owner_client, shop, override_policy
):
    override_policy(data_export_keep_days=3)
    page = owner_client.get(reverse("lifecycle:export_list", kwargs={"shop_slug": shop.slug}))
    assert "expire after 3 days" in page.content.decode()

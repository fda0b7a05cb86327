"""The data export's orders.csv shows buyer contact as the order pages do: the email and phone
masked by the one rule (orders.models.orders.mask_buyer_email / mask_buyer_phone), never in
clear. The seller needs the name and address to ship; the platform writes to buyers itself."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from django_scopes import scope

from lifecycle.models import DataExport
from tests.factories import OrderFactory
from tests.storage import store_files_in

pytestmark = pytest.mark.django_db
EMAIL, PHONE = "victor.buyer@example.com", "+15557654321"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    store_files_in(settings, private=tmp_path)


def test_orders_csv_masks_email_and_phone_exactly_as_the_order_page(
    owner_client, shop, django_capture_on_commit_callbacks
):
    order = OrderFactory(shop=shop, buyer_name="Victor Buyer", buyer_email=EMAIL, buyer_phone=PHONE)
    page = owner_client.get(
        reverse("orders:order_detail", kwargs={"shop_slug": shop.slug, "order_id": order.pk})
    ).content.decode()
    assert "v***@example.com" in page and "***-***-4321" in page and EMAIL not in page

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("lifecycle:export_list", kwargs={"shop_slug": shop.slug}))
    with scope(shop=shop):
        export = DataExport.objects.get(shop=shop)
    response = owner_client.get(
        reverse(
            "lifecycle:export_download",
            kwargs={"shop_slug": shop.slug, "data_export_id": export.pk},
        )
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    text = archive.read("orders.csv").decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert (row["buyer_email"], row["buyer_phone"]) == ("v***@example.com", "***-***-4321")
    assert row["buyer_name"] == "Victor Buyer"
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode(errors="ignore")
    assert EMAIL not in everything and PHONE not in everything and "7654321" not in everything

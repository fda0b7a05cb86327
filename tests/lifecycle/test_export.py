"""Data export (SPEC §9.3): a zip built in the background, owners only, gone after 7 days."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from lifecycle.models import DataExport
from lifecycle.services.export import exports_expire
from orders.inbox.models import Conversation, Message
from sellercenter.celery import BEAT_SCHEDULE
from tests.factories import MembershipFactory, OrderFactory, OrderLineFactory, SKUFactory
from tests.storage import store_files_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    store_files_in(settings, private=tmp_path)
    return tmp_path


def url(name, shop, **kwargs):
    return reverse(f"lifecycle:{name}", kwargs={"shop_slug": shop.slug, **kwargs})


def prepare(owner_client, shop, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url("export_list", shop))
    assert response.status_code == 302
    with scope(shop=shop):
        return DataExport.objects.get(shop=shop)


def test_the_export_holds_csvs_of_the_shops_records(
    owner_client, shop, other_shop, django_capture_on_commit_callbacks
):
    SKUFactory(product__shop=shop, product__title="Linen Tote", seller_sku="TOTE-1")
    order = OrderFactory(shop=shop, number="ORD-ALPHA-1", buyer_name="Ann Buyer")
    OrderLineFactory(order=order, seller_sku="TOTE-1")
    conversation = Conversation.objects.create(
        shop=shop, order=order, buyer_name="Ann Buyer", buyer_email="ann@example.com"
    )
    Message.objects.create(shop=shop, conversation=conversation, from_buyer=True, body="Hi!")
    OrderFactory(shop=other_shop, number="ORD-BETA-1")

    export = prepare(owner_client, shop, django_capture_on_commit_callbacks)
    assert (export.status, export.progress) == ("ready", 100)
    assert export.expires_at - export.finished_at == timedelta(days=7)
    response = owner_client.get(url("export_download", shop, data_export_id=export.pk))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert set(archive.namelist()) == {
        "products.csv", "orders.csv", "order_lines.csv", "returns.csv", "messages.csv",
    }  # fmt: skip
    assert "Linen Tote" in archive.read("products.csv").decode()
    orders = archive.read("orders.csv").decode()
    assert "ORD-ALPHA-1" in orders and "ORD-BETA-1" not in orders
    assert "Hi!" in archive.read("messages.csv").decode()


def test_the_progress_row_polls_until_ready(owner_client, shop):
    with scope(shop=shop):
        export = DataExport.objects.create(shop=shop, status="running", progress=45)
    html = owner_client.get(
        url("export_status", shop, data_export_id=export.pk), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'value="45"' in html and 'hx-trigger="every 1s"' in html
    assert "<html" not in html
    with scope(shop=shop):
        DataExport.objects.filter(pk=export.pk).update(
            status="ready", progress=100, file_name="x.zip", expires_at=timezone.now()
        )
    html = owner_client.get(url("export_status", shop, data_export_id=export.pk)).content.decode()
    assert "hx-trigger" not in html and "Download" in html


def test_only_owners_download_and_other_shops_exports_are_404(
    client, owner_client, shop, other_shop, other_owner, django_capture_on_commit_callbacks
):
    export = prepare(owner_client, shop, django_capture_on_commit_callbacks)
    client.force_login(MembershipFactory(shop=shop, role="manager").user)
    assert client.get(url("export_download", shop, data_export_id=export.pk)).status_code == 403
    client.force_login(other_owner)
    assert (
        client.get(url("export_download", other_shop, data_export_id=export.pk)).status_code == 404
    )
    assert client.post(url("export_list", other_shop)).status_code == 302
    with scope(shop=shop):
        assert DataExport.objects.filter(shop=shop).count() == 1


def test_expired_exports_lose_their_file_and_the_link_says_so(
    owner_client, shop, django_capture_on_commit_callbacks
):
    export = prepare(owner_client, shop, django_capture_on_commit_callbacks)
    with scope(shop=shop):
        assert storages["private"].exists(export.file_name)
    assert exports_expire(now=export.expires_at - timedelta(seconds=1)) == 0
    assert exports_expire(now=export.expires_at) == 1
    with scope(shop=shop):
        assert not storages["private"].exists(export.file_name)
    response = owner_client.get(url("export_download", shop, data_export_id=export.pk))
    assert response.status_code == 302
    page = owner_client.get(response.url).content.decode()
    assert "Expired" in page


def test_a_second_request_while_one_is_running_reuses_it(owner_client, shop):
    with scope(shop=shop):
        DataExport.objects.create(shop=shop, status="running")
    owner_client.post(url("export_list", shop))
    with scope(shop=shop):
        assert DataExport.objects.filter(shop=shop).count() == 1


def test_the_cleanup_runs_from_the_beat():
    entry = BEAT_SCHEDULE["lifecycle-expire-exports"]
    assert entry["task"] == "lifecycle.tasks.expire_exports_task" and entry["options"]["expires"]

"""A private file that has gone from storage is a message to the seller, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from lifecycle.models import DataExport
from tests.factories import sign_in_verified

pytestmark = pytest.mark.django_db


def test_a_ready_export_whose_file_is_gone_says_so(shop, owner, isolated_storage):
    export = DataExport.objects.create(shop=shop, status="ready", file_name="exports/gone.zip")
    client = Client(raise_request_exception=False)
    sign_in_verified(client, owner)
    url = reverse(
        "lifecycle:export_download", kwargs={"shop_slug": shop.slug, "data_export_id": export.pk}
    )
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "no longer available" in response.content.decode()

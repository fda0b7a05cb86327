"""Disconnecting the Shopify store asks first: the page says what stops and what stays, and
only the confirmation's POST forgets the store."""

import pytest
from django_scopes import scope

from openplatform.models import InventoryConnection
from tests.openplatform.fake_shopify import FakeShopify
from tests.openplatform.test_inventory_sync_pages import connected, member, page

pytestmark = pytest.mark.django_db


def test_disconnect_asks_first_and_keeps_the_store_until_confirmed(client, shop, owner, settings):
    with FakeShopify() as fake:
        connected(shop, owner, fake, settings)
    client.force_login(owner)
    sync_page = client.get(page(shop)).content.decode()
    assert f'href="{page(shop, "disconnect/")}"' in sync_page  # a link to the question, no form

    answer = client.get(page(shop, "disconnect/"))
    body = answer.content.decode()
    assert answer.status_code == 200
    assert "Disconnect alpha.myshopify.com?" in body
    assert "Stock on hand stays as the last sync left it" in body
    assert "Keep it connected" in body
    with scope(shop=shop):
        assert InventoryConnection.objects.exists()  # asking changed nothing

    assert client.post(page(shop, "disconnect/")).status_code == 302
    with scope(shop=shop):
        assert not InventoryConnection.objects.exists()


def test_the_question_without_a_store_goes_back_to_the_page(client, shop, owner):
    client.force_login(owner)
    answer = client.get(page(shop, "disconnect/"), follow=True)
    assert answer.redirect_chain[-1][0] == page(shop)
    assert "No store is connected." in answer.content.decode()


def test_a_manager_cannot_open_the_question(client, shop, owner, settings):
    with FakeShopify() as fake:
        connected(shop, owner, fake, settings)
    client.force_login(member(shop, "manager"))
    assert client.get(page(shop, "disconnect/")).status_code == 403
    with scope(shop=shop):
        assert InventoryConnection.objects.exists()

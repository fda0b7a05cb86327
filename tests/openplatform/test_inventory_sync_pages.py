"""Settings → Apps → Inventory sync, as an owner, a manager and staff use it: connect a store
(token encrypted at rest), press "Sync now", read the last sync, its counts and its errors."""

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from accounts import crypto
from accounts.models import AuditEvent
from openplatform.models import InventoryConnection
from openplatform.tasks import inventory_syncs_due_task
from shops.models import Shop
from tests.factories import MembershipFactory, SKUFactory, UserFactory, sign_in_verified
from tests.openplatform.fake_shopify import FakeShopify

pytestmark = pytest.mark.django_db
TOKEN = "shpat_0123456789abcdef0123456789abcdef"


def page(shop, tail=""):
    return f"/shops/{shop.slug}/settings/apps/inventory-sync/{tail}"


def member(shop, role):
    return MembershipFactory(shop=shop, role=role, user=UserFactory()).user


def connected(shop, owner, fake, settings, token=TOKEN):
    settings.SHOPIFY_ADMIN_BASE_URL = fake.base_url
    with scopes_disabled():
        return InventoryConnection.objects.create(
            shop=shop, store_domain="alpha.myshopify.com",
            token_encrypted=crypto.encrypt(token), token_hint=token[-4:], created_by=owner,
        )  # fmt: skip


def test_the_owner_connects_a_store_and_the_token_is_stored_encrypted(client, shop, owner):
    sign_in_verified(client, owner)
    assert client.get(page(shop, "connect/")).status_code == 200
    answer = client.post(
        page(shop, "connect/"),
        {"store_domain": "https://Alpha.myshopify.com/admin", "access_token": TOKEN},
    )
    assert answer.status_code == 302
    with scope(shop=shop):
        saved = InventoryConnection.objects.get(shop=shop)
        assert AuditEvent.objects.filter(
            shop_id=shop.pk, action="inventory_sync.connected"
        ).exists()
    assert saved.store_domain == "alpha.myshopify.com"
    assert TOKEN not in saved.token_encrypted and crypto.decrypt(saved.token_encrypted) == TOKEN
    shown = client.get(page(shop)).content.decode()
    assert "alpha.myshopify.com" in shown and "••••cdef" in shown and TOKEN not in shown


@pytest.mark.parametrize(
    "domain, token, error",
    [
        ("alpha.example.com", TOKEN, "like your-store.myshopify.com"),
        ("evil.myshopify.com.attacker.test", TOKEN, "like your-store.myshopify.com"),
        ("127.0.0.1", TOKEN, "like your-store.myshopify.com"),
        ("alpha.myshopify.com", "shpat with spaces", "Admin API access token"),
    ],
)
def test_a_bad_store_or_token_is_refused_and_nothing_is_saved(
    client, shop, owner, domain, token, error
):
    sign_in_verified(client, owner)
    answer = client.post(page(shop, "connect/"), {"store_domain": domain, "access_token": token})
    assert answer.status_code == 400 and error in answer.content.decode()
    with scope(shop=shop):
        assert not InventoryConnection.objects.exists()


def test_a_manager_syncs_now_and_reads_the_counts(
    client, shop, owner, settings, django_capture_on_commit_callbacks
):
    for code in ("TEE-S", "TEE-M", "TEE-L"):
        SKUFactory(product__shop=shop, seller_sku=code, on_hand=5)
    products = [(1, [("TEE-S", 11), ("TEE-M", 12), ("TEE-L", 13), ("GONE", 14)])]
    with FakeShopify(token=TOKEN, products=products, levels={11: [5], 12: [7], 13: [0]}) as fake:
        connected(shop, owner, fake, settings)
        client.force_login(member(shop, "manager"))
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(page(shop, "sync/")).status_code == 302
    shown = client.get(page(shop)).content.decode()
    assert "3 matched · 2 changed · 1 in Shopify but not here" in shown
    assert "Not in this shop: GONE." in shown and "Synced" in shown
    assert "Connect a Shopify store" not in shown and "Disconnect" not in shown  # owner's


def test_a_bad_token_shows_a_clear_error_on_the_page(
    client, shop, owner, settings, django_capture_on_commit_callbacks
):
    SKUFactory(product__shop=shop, seller_sku="TEE-S", on_hand=5)
    with FakeShopify(token=TOKEN, products=[(1, [("TEE-S", 11)])], levels={11: [1]}) as fake:
        connected(shop, owner, fake, settings, token="shpat_expired")
        client.force_login(owner)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(page(shop, "sync/"))
    shown = client.get(page(shop)).content.decode()
    assert 'id="sync-error"' in shown and "refused the access token (401)" in shown
    assert "Failed" in shown


def test_sync_now_without_a_store_is_refused(client, shop, owner):
    client.force_login(owner)
    answer = client.post(page(shop, "sync/"))
    assert answer.status_code == 409 and "Connect a Shopify store first" in answer.content.decode()


def test_staff_cannot_open_it_and_a_manager_cannot_connect(client, shop):
    client.force_login(member(shop, "staff"))
    assert client.get(page(shop)).status_code == 403
    manager = member(shop, "manager")
    sign_in_verified(client, manager)
    assert client.get(page(shop)).status_code == 200
    assert (
        client.post(page(shop, "connect/"), {"store_domain": "a.myshopify.com"}).status_code == 403
    )


def test_the_owner_disconnects(client, shop, owner, settings):
    with FakeShopify() as fake:
        connected(shop, owner, fake, settings)
    client.force_login(owner)
    assert client.post(page(shop, "disconnect/")).status_code == 302
    with scope(shop=shop):
        assert not InventoryConnection.objects.exists()
    assert "No store is connected" in client.get(page(shop)).content.decode()


def test_the_page_runs_a_fixed_number_of_queries(client, shop, owner, settings):
    with FakeShopify() as fake:
        saved = connected(shop, owner, fake, settings)
    client.force_login(owner)
    client.get(page(shop))  # warms the session's cached identity

    def queries():
        with CaptureQueriesContext(db) as captured:
            assert client.get(page(shop)).status_code == 200
        return len(captured)

    few = queries()
    with scopes_disabled():
        InventoryConnection.objects.filter(pk=saved.pk).update(
            last_outcome="ok", last_notes=[f"line {n}" for n in range(50)]
        )
    assert queries() == few


def test_the_beat_job_queues_one_sync_per_open_shop_with_a_store(
    shop, other_shop, owner, other_owner, settings, monkeypatch
):
    from openplatform import tasks

    queued = []
    monkeypatch.setattr(tasks.inventory_sync_task, "delay", lambda **kw: queued.append(kw))
    with FakeShopify() as fake:
        connected(shop, owner, fake, settings)
        connected(other_shop, other_owner, fake, settings)
    with scopes_disabled():
        Shop.objects.filter(pk=other_shop.pk).update(status=Shop.Status.BANNED)
    assert inventory_syncs_due_task() == 1
    assert queued == [{"shop_id": shop.pk}]

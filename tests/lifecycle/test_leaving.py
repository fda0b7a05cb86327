"""Leaving (SPEC §9.3): unlink TikTok, deactivate / reactivate, delete."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail, serializers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEvent
from catalog.models import Product
from lifecycle.models import DeletionRequest, ShopLink
from lifecycle.selectors import tiktok_link_of
from orders.models import Order
from shops.models import Membership, Shop
from tests.factories import (
    MembershipFactory,
    OrderFactory,
    ProductFactory,
    SKUFactory,
    listable_product,
    sign_in_verified,
)
from tests.storage import store_files_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, owner):
    """Unlink, deactivate and delete need two-step verification and a fresh re-authentication."""
    sign_in_verified(client, owner)
    return client


def test_leaving_actions_ask_an_owner_without_a_recent_reauthentication_for_it(client, owner, shop):
    from accounts.reauth import SESSION_REAUTH_AT

    sign_in_verified(client, owner)
    session = client.session
    session[SESSION_REAUTH_AT] = 0
    session.save()
    response = client.post(reverse("lifecycle:deactivate", kwargs={"shop_slug": shop.slug}))
    assert response.status_code == 302 and "/account/reauthenticate/" in response["Location"]
    shop.refresh_from_db()
    assert shop.status == "active"


def url(name, shop, **kwargs):
    return reverse(f"lifecycle:{name}", kwargs={"shop_slug": shop.slug, **kwargs})


@pytest.mark.parametrize(
    "name", ["leaving", "unlink", "deactivate", "delete", "delete_confirm", "export_list"]
)
def test_leaving_pages_are_for_owners_only(client, shop, name):
    client.force_login(MembershipFactory(shop=shop, role="manager").user)
    assert client.get(url(name, shop)).status_code == 403
    assert client.post(url(name, shop)).status_code == 403
    shop.refresh_from_db()
    assert shop.status == "active"


def test_settings_links_to_linked_accounts_and_leaving(owner_client, shop):
    html = owner_client.get(reverse("shops:settings", kwargs={"shop_slug": shop.slug})).content
    assert url("leaving", shop).encode() in html and url("delete", shop).encode() in html


def test_unlink_names_what_is_lost_offers_a_report_and_can_be_undone(owner_client, shop, owner):
    page = owner_client.get(url("unlink", shop)).content.decode()
    assert "analytics" in page and url("export_list", shop) in page
    owner_client.post(url("unlink", shop))
    with scope(shop=shop):
        link = ShopLink.objects.get(shop=shop)
    assert link.tiktok_linked is False and link.unlinked_at is not None
    assert "Link TikTok account again" in owner_client.get(url("leaving", shop)).content.decode()
    owner_client.post(url("relink", shop))
    link.refresh_from_db()
    assert link.tiktok_linked is True
    with scope(shop=shop):
        assert list(
            AuditEvent.objects.filter(shop_id=shop.pk)
            .order_by("id")
            .values_list("action", flat=True)
        ) == ["lifecycle.tiktok_unlink", "lifecycle.tiktok_relink"]


def test_reading_the_tiktok_link_writes_nothing(owner_client, shop):
    """A shop that never unlinked has no link row; looking at it (directly or through the
    Leaving and Unlink pages) shows it linked and creates none."""
    with scope(shop=shop), CaptureQueriesContext(connection) as ctx:
        link = tiktok_link_of(shop)
    assert link.tiktok_linked is True and link.pk is None
    written = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert written == []
    assert owner_client.get(url("leaving", shop)).status_code == 200
    assert owner_client.get(url("unlink", shop)).status_code == 200
    with scope(shop=shop):
        assert not ShopLink.objects.filter(shop=shop).exists()


def test_deactivate_takes_products_offline_and_reactivate_brings_them_back(owner_client, shop):
    with scope(shop=shop):
        live = listable_product(shop, status="live", title="Live")
        paused = ProductFactory(shop=shop, title="Paused", status="deactivated")
        sold_out = SKUFactory(
            product=ProductFactory(shop=shop, title="Sold out"), on_hand=0
        ).product
    assert "go offline" in owner_client.get(url("deactivate", shop)).content.decode()

    owner_client.post(url("deactivate", shop))
    shop.refresh_from_db()
    assert shop.status == "deactivated"
    live.refresh_from_db()
    assert (live.status, live.delisted_by) == ("delisted", "deactivation")
    # Still reachable by the owner, to reactivate.
    leaving = owner_client.get(url("leaving", shop)).content.decode()
    assert "Reactivate my shop" in leaving

    owner_client.post(url("reactivate", shop))
    shop.refresh_from_db()
    assert shop.status == "active"
    with scope(shop=shop):
        statuses = dict(Product.objects.filter(shop=shop).values_list("title", "status"))
    assert statuses == {"Live": "live", "Paused": "deactivated", "Sold out": "issues"}
    assert sold_out.pk and paused.pk


def test_a_banned_shop_cannot_deactivate_or_reactivate(owner_client, shop):
    Shop.objects.filter(pk=shop.pk).update(status="banned")
    owner_client.post(url("deactivate", shop))
    owner_client.post(url("reactivate", shop))
    shop.refresh_from_db()
    assert shop.status == "banned"


# --- delete ----------------------------------------------------------------------------------


def test_delete_checklist_shows_each_precondition_with_a_link_to_fix_it(owner_client, shop):
    OrderFactory(shop=shop)  # awaiting shipment
    page = owner_client.get(url("delete", shop)).content.decode()
    assert "1 order still to fulfil" in page
    assert reverse("orders:order_list", kwargs={"shop_slug": shop.slug}) in page
    assert url("export_list", shop) in page
    assert "Email me the confirmation link" not in page

    owner_client.post(url("delete", shop))  # refused: nothing sent, nothing stored
    assert mail.outbox == [] and not DeletionRequest.objects.exists()
    shop.refresh_from_db()
    assert shop.status == "active"


def test_delete_is_refused_with_an_escalated_return_or_money_left_in_the_ledger(owner_client, shop):
    from decimal import Decimal

    from lifecycle.selectors import deletion_preconditions
    from orders.finance.models import LedgerEntry
    from orders.returns.models import ReturnRequest
    from tests.factories import OrderLineFactory

    def failing():
        with scope(shop=shop):
            return {p.key for p in deletion_preconditions(shop) if not p.ok}

    with scope(shop=shop):
        assert failing() == set()
        line = OrderLineFactory(order=OrderFactory(shop=shop, status="completed"))
        ReturnRequest.objects.create(
            shop=shop,
            order=line.order,
            line=line,
            kind="refund_only",
            reason="x",
            status="escalated",
        )
        assert failing() == {"returns"}
        ReturnRequest.objects.update(status="closed")
        LedgerEntry.objects.create(
            shop=shop, kind="adjustment", bucket="pending", amount=Decimal("12.50")
        )
        assert failing() == {"balance"}


def confirmation_link(owner_client, shop, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(url("delete", shop))
    (message,) = mail.outbox
    return re.search(r"http://testserver(\S+)", message.body).group(1)


def test_delete_by_emailed_link_once(owner_client, shop, owner, django_capture_on_commit_callbacks):
    link = confirmation_link(owner_client, shop, django_capture_on_commit_callbacks)
    assert owner_client.get(link).status_code == 200
    token = link.split("token=")[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url("delete_confirm", shop), {"token": token})
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.status == "deleted"
    assert not Membership.objects.filter(shop=shop).exists()
    # The owner's sessions ended with the deletion: signed out everywhere, and the shop is gone.
    response = owner_client.get(reverse("home", kwargs={"shop_slug": shop.slug}))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    owner.refresh_from_db()
    sign_in_verified(owner_client, owner)
    assert owner_client.get(reverse("home", kwargs={"shop_slug": shop.slug})).status_code == 404
    assert AuditEvent.objects.filter(shop_id=shop.pk, action="lifecycle.shop_deleted").exists()


def test_a_reused_or_expired_or_forged_link_changes_nothing(
    owner_client, shop, django_capture_on_commit_callbacks
):
    link = confirmation_link(owner_client, shop, django_capture_on_commit_callbacks)
    token = link.split("token=")[1]
    with scope(shop=shop):
        DeletionRequest.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = owner_client.post(url("delete_confirm", shop), {"token": token})
    assert response.status_code == 400 and "expired" in response.content.decode()
    response = owner_client.post(url("delete_confirm", shop), {"token": "forged"})
    assert response.status_code == 400 and "not valid" in response.content.decode()
    with scope(shop=shop):
        DeletionRequest.objects.update(
            expires_at=timezone.now() + timedelta(hours=1), used_at=timezone.now()
        )
    response = owner_client.post(url("delete_confirm", shop), {"token": token})
    assert response.status_code == 400 and "already been used" in response.content.decode()
    shop.refresh_from_db()
    assert shop.status == "active"


def test_the_link_of_one_shop_does_not_delete_another(
    client, shop, other_shop, other_owner, owner_client, django_capture_on_commit_callbacks
):
    link = confirmation_link(owner_client, shop, django_capture_on_commit_callbacks)
    token = link.split("token=")[1]
    sign_in_verified(client, other_owner)
    response = client.post(url("delete_confirm", other_shop), {"token": token})
    assert response.status_code == 400
    other_shop.refresh_from_db()
    assert other_shop.status == "active"


def test_the_link_is_refused_if_an_order_arrived_since(
    owner_client, shop, django_capture_on_commit_callbacks
):
    link = confirmation_link(owner_client, shop, django_capture_on_commit_callbacks)
    OrderFactory(shop=shop)
    response = owner_client.post(url("delete_confirm", shop), {"token": link.split("token=")[1]})
    assert response.status_code == 400 and "unfulfilled" in response.content.decode()
    shop.refresh_from_db()
    assert shop.status == "active"


def everything_in_the_database() -> str:
    dump = []
    for model in apps.get_models():
        dump.append(serializers.serialize("json", model._base_manager.all()))
    return "\n".join(dump)


def shop_owned_rows(shop) -> str:
    dump = [serializers.serialize("json", Shop.objects.filter(pk=shop.pk))]
    for model in apps.get_models():
        if any(f.name == "shop" for f in model._meta.fields):
            dump.append(serializers.serialize("json", model._base_manager.filter(shop=shop)))
    return "\n".join(dump)


def test_deleting_removes_every_trace_of_personal_data(
    owner_client, shop, owner, other_shop, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.storage import storages

    from lifecycle.services.export import export_request
    from orders.inbox.models import Conversation, Message
    from orders.models import OrderStatusChange, Visit
    from orders.returns.models import ReturnRequest
    from shops import activity
    from tests.factories import OrderLineFactory

    store_files_in(settings, private=tmp_path)
    buyer = {
        "buyer_name": "Zelda Quintanilla",
        "buyer_email": "zelda.q@buyers.test",
        "buyer_phone": "+14155550199",
        "ship_line1": "77 Orchid Lane",
        "ship_city": "Pasadenaville",
        "ship_postcode": "91234",
    }
    with scope(shop=shop):
        order = OrderFactory(shop=shop, status="completed", total="42.50", **buyer)
        line = OrderLineFactory(order=order)
        OrderStatusChange.objects.create(
            shop=shop, order=order, to_status="completed", actor=owner, actor_kind="seller",
            note="Handed to Zelda at the door",
        )  # fmt: skip
        ReturnRequest.objects.create(
            shop=shop, order=order, line=line, kind="refund_only", status="refunded",
            reason="damaged", note="Zelda says the box was crushed", refund_amount="5.00",
        )  # fmt: skip
        conversation = Conversation.objects.create(
            shop=shop, order=order, buyer_name=buyer["buyer_name"], buyer_email=buyer["buyer_email"]
        )
        Message.objects.create(
            shop=shop, conversation=conversation, from_buyer=True, body="My cat Mr Whiskerton"
        )
        Visit.objects.create(shop=shop, visitor_key="visitor-zelda-cookie", source="video")
        activity.record(shop=shop, kind=activity.Kind.SIGNED_IN, actor=owner)
        with django_capture_on_commit_callbacks(execute=True):
            export = export_request(shop=shop, actor=owner)
        export.refresh_from_db()
        assert storages["private"].exists(export.file_name)
        # Another shop's buyer with the same kind of data is left alone.
        kept = OrderFactory(shop=other_shop, buyer_name="Otto Keepme", status="completed")

    link = confirmation_link(owner_client, shop, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(url("delete_confirm", shop), {"token": link.split("token=")[1]})

    with scope(shop=shop):
        database = everything_in_the_database()
        for secret in [*buyer.values(), "Mr Whiskerton", "crushed", "Handed to Zelda",
                       "visitor-zelda-cookie", "Alpha Goods", "alpha-goods"]:  # fmt: skip
            assert secret not in database, secret
        own = shop_owned_rows(shop)
        assert owner.email not in own and f'"actor": {owner.pk}' not in own
        assert f'"requested_by": {owner.pk}' not in own
        assert not storages["private"].exists(export.file_name)
        assert list(tmp_path.rglob("*.zip")) == []
        # Financial records stay, without the person.
        order.refresh_from_db()
        assert str(order.total) == "42.50" and order.buyer_name == "Deleted buyer"
        assert ReturnRequest.objects.get(shop=shop).refund_amount is not None
        assert AuditEvent.objects.filter(
            shop_id=shop.pk, action="lifecycle.shop_data_deleted"
        ).exists()
    with scope(shop=other_shop):
        assert Order.objects.get(pk=kept.pk).buyer_name == "Otto Keepme"


def test_the_creator_checklist_shows_live_status_for_each_step(owner_client, shop):
    with scope(shop=shop):
        OrderFactory(shop=shop)
        SKUFactory(product=ProductFactory(shop=shop))
    page = owner_client.get(url("leaving", shop)).content.decode()
    assert "Fulfil pending orders</strong> — 1 order still to fulfil" in page
    assert "Review inventory</strong> — 1 live product." in page
    assert "Export your records</strong> — No export ready" in page
    assert "Deactivate or delete</strong> — Shop is active" in page
    with scope(shop=shop):
        Order.objects.filter(shop=shop).update(status="delivered")
    page = owner_client.get(url("leaving", shop)).content.decode()
    assert "Fulfil pending orders</strong> — None pending" in page

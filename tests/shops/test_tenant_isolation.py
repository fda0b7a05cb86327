"""Every seller URL, discovered from the URLconf, refuses a member of another shop.

Shop A holds canary data. A member of shop B requests every seller URL pattern (a) with shop B's
slug and shop A's object ids, and (b) with shop A's slug, by GET and POST, with and without
HX-Request. Object URLs answer 404, A's slug answers 404, and no response shows A's canaries;
A's rows are unchanged afterwards. New URL patterns are picked up with no list to maintain.
"""

import hashlib

import pytest
from django.apps import apps
from django.core import serializers
from django.urls import reverse
from django_scopes import scope

from catalog.models import ImportJob
from orders.inbox.models import Conversation, Message
from orders.marketing.models import CampaignProduct
from orders.models import ShippingTemplate, ShippingZone, Visit
from orders.returns.models import ReturnRequest
from shops.models import BankAccount, SellerProfile
from tests.factories import (
    MembershipFactory,
    OrderFactory,
    OrderLineFactory,
    SKUFactory,
    UserFactory,
    VerificationDocumentFactory,
)
from tests.security.urlwalk import seller_url_patterns, shop_owned_model

CANARY = "CANARY-7f3a-SHOP-A"


def model_for_kwarg(kwarg: str):
    """``product_id`` → catalog.Product: any shop-owned model whose name matches."""
    model = shop_owned_model(kwarg)
    if model is None:
        raise AssertionError(
            f"No shop-owned model matches URL kwarg {kwarg!r}: teach this test how to find one."
        )
    return model


@pytest.fixture
def shop_a_world(shop):
    sku = SKUFactory(
        product__shop=shop, product__title=f"{CANARY} product", seller_sku=f"{CANARY}-SKU"
    )
    order = OrderFactory(shop=shop, buyer_name=f"{CANARY} buyer", number="CANARY0001")
    line = OrderLineFactory(order=order, title=f"{CANARY} line", sku=sku, product=sku.product)
    conversation = Conversation.objects.create(
        shop=shop, order=order, buyer_name=f"{CANARY} buyer", buyer_email="canary@example.com"
    )
    Message.objects.create(
        shop=shop, conversation=conversation, from_buyer=True, body=f"{CANARY} message"
    )
    return_request = ReturnRequest.objects.create(
        shop=shop, order=order, line=line, kind="refund_only", reason=f"{CANARY} reason"
    )
    # Returns, inbox and finance: a photo for the return_photo_id URL.
    from orders.returns.models import ReturnPhoto
    from tests.orders.aftersales import png

    photo = ReturnPhoto(shop=shop, return_request=return_request, stage="request")
    photo.content_type = "image/png"
    photo.image.save("canary.png", png(), save=True)
    Visit.objects.create(shop=shop, product=sku.product, visitor_key="v1", source="video")
    # Shipping templates and zones.
    template = ShippingTemplate.objects.create(shop=shop, name=f"{CANARY} template")
    ShippingZone.objects.create(shop=shop, template=template, name=f"{CANARY} zone", states=["CA"])

    # catalog: an import job (its URLs take import_job_id)
    ImportJob.objects.create(shop=shop, filename=f"{CANARY}.csv", file="imports/none.csv")
    MembershipFactory(
        shop=shop, role="manager", user=UserFactory(email=f"{CANARY.lower()}@alpha.test")
    )
    # Onboarding: a private document, the seller profile and a bank account.
    VerificationDocumentFactory(shop=shop, original_name=f"{CANARY}.png")
    SellerProfile.objects.create(shop=shop, legal_name=f"{CANARY} legal name")
    BankAccount.objects.create(
        shop=shop,
        holder_name=f"{CANARY} holder",
        routing_number="011000015",
        account_number_encrypted="x",
        account_last4="0000",
    )

    # lifecycle: a data export of shop A (URL kwarg data_export_id)
    from lifecycle.models import DataExport

    DataExport.objects.create(shop=shop, status="ready", file_name=f"exports/{CANARY}.zip")

    # Marketing: a coupon, a discount and a campaign registration of shop A
    from tests.factories import CampaignFactory, CouponFactory, DiscountFactory

    CouponFactory(shop=shop, code="CANARYCODE")
    DiscountFactory(shop=shop, name=f"{CANARY} discount", products=[sku.product])
    CampaignProduct.objects.create(
        shop=shop, campaign=CampaignFactory(), product=sku.product, campaign_price="9.99"
    )

    # Marketing → LIVE: a session of shop A with a pinned product (URL kwargs livesession_id,
    # livepin_id).
    from django.utils import timezone

    from orders.marketing.models import LivePin, LiveSession

    live = LiveSession.objects.create(shop=shop, title=f"{CANARY} live", starts_at=timezone.now())
    LivePin.objects.create(shop=shop, session=live, product=sku.product)

    # Help and support: a ticket of shop A with a message carrying an attachment.
    from shops.models import SupportTicket, TicketMessage

    ticket = SupportTicket.objects.create(shop=shop, category="other", subject=f"{CANARY} ticket")
    TicketMessage.objects.create(
        shop=shop, ticket=ticket, body=f"{CANARY} question", attachment="support/none.png",
        attachment_type="image/png",
    )  # fmt: skip

    # Open Platform: an app authorized for shop A (Settings → Apps; URL kwarg shop_app_id).
    from openplatform.models import ShopApp, WebhookDelivery, WebhookSubscription

    app = ShopApp.objects.create(shop=shop, name=f"{CANARY} app", scopes=["orders:read"])
    subscription = WebhookSubscription.objects.create(
        shop=shop, app=app, url="https://canary.example/h", events=["order.status_changed"]
    )
    WebhookDelivery.objects.create(
        shop=shop, subscription=subscription, message_id="msg_canary",
        event_type="order.status_changed", payload={"canary": CANARY},
    )  # fmt: skip
    # Inventory sync: shop A's connected store, its last sync's notes (Settings → Apps).
    from openplatform.models import InventoryConnection

    InventoryConnection.objects.create(
        shop=shop, store_domain=f"{CANARY.lower()}.myshopify.com", token_encrypted="x",
        last_outcome="ok", last_notes=[f"{CANARY} note"],
    )  # fmt: skip
    return shop


def shop_rows_digest(shop) -> str:
    """A hash of every row that belongs to the shop, across all shop-owned tables."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if any(f.name == "shop" for f in model._meta.fields):
            rows = model._base_manager.filter(shop=shop).order_by("pk")
            digest.update(serializers.serialize("json", rows).encode())
    digest.update(
        serializers.serialize("json", [type(shop)._base_manager.get(pk=shop.pk)]).encode()
    )
    return digest.hexdigest()


@pytest.mark.django_db
def test_discovery_finds_the_seller_pages():
    names = {name for name, _ in seller_url_patterns()}
    assert {
        "home",
        "catalog:product_list",
        "catalog:product_detail",
        "orders:order_detail",
        "shops:settings",
    } <= names


@pytest.mark.django_db
def test_member_of_another_shop_gets_404_everywhere_and_sees_nothing(
    client, shop_a_world, other_shop, other_owner
):
    shop_a = shop_a_world
    client.force_login(other_owner)
    before = shop_rows_digest(shop_a)
    checked = 0
    for name, params in seller_url_patterns():
        with scope(shop=shop_a):
            ids = {
                p: model_for_kwarg(p).objects.values_list("pk", flat=True).first()
                for p in params
                if p != "shop_slug"
            }
        missing = [p for p, v in ids.items() if v is None]
        assert not missing, (
            f"{name}: the fixture has no shop A object for {missing}; add one to shop_a_world"
        )

        urls = [reverse(name, kwargs={"shop_slug": shop_a.slug, **ids})]
        if ids:  # B's own slug with A's ids
            urls.append(reverse(name, kwargs={"shop_slug": other_shop.slug, **ids}))
        for url in urls:
            for method in ("get", "post"):
                for headers in ({}, {"HX-Request": "true"}):
                    response = getattr(client, method)(url, headers=headers)
                    assert response.status_code == 404, (
                        f"{method.upper()} {url} {headers} → {response.status_code}"
                    )
                    assert CANARY not in body_of(response)

                    checked += 1
        if not ids:  # B's own pages must not show anything of A's
            response = client.get(reverse(name, kwargs={"shop_slug": other_shop.slug}))
            assert response.status_code in (200, 302, 405), (
                f"GET {name} for own shop → {response.status_code}"
            )
            assert CANARY not in body_of(response)

    assert checked >= 40
    assert shop_rows_digest(shop_a) == before, "a request from another shop changed shop A's rows"


def body_of(response) -> str:
    """The response text, streamed ones (CSV exports) included."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")

"""Campaigns (SPEC §3, §8): staff publish them; eligible shops register products with a campaign
price during registration; the price applies at checkout while the campaign runs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from lifecycle.models import EligibilityEvaluation
from orders.marketing.models import Campaign, CampaignProduct, OrderPromotion
from tests.factories import CampaignFactory
from tests.marketing.conftest import place

pytestmark = pytest.mark.django_db


def make_eligible(shop, eligible=True):
    EligibilityEvaluation.objects.create(shop=shop, trigger="on_demand", eligible=eligible)


def register(client, shop, campaign, product, price):
    url = reverse("marketing:campaign_register", kwargs={"shop_slug": shop.slug})
    return client.post(
        url, {"campaign": campaign.pk, "product": product.pk, "campaign_price": price}
    )


def test_eligible_shop_registers_and_the_price_applies_only_while_the_campaign_runs(
    owner_client, shop, sku
):
    with scope(shop=shop):
        make_eligible(shop)
        campaign = CampaignFactory(min_discount_percent=Decimal("20"))
    response = register(owner_client, shop, campaign, sku.product, "16.00")  # exactly 20% off
    assert response.status_code == 302
    with scope(shop=shop):
        registration = CampaignProduct.objects.get(shop=shop)
        assert registration.campaign_price == Decimal("16.00")

        assert place(shop, (sku, 1)).discount == 0  # registered, but the campaign has not started
        running = campaign.starts_at
        order = place(shop, (sku, 2), now=running)
        assert order.discount == Decimal("8.00")
        promo = OrderPromotion.objects.get(order=order)
        assert (promo.kind, promo.campaign_id, promo.product_id) == (
            "campaign",
            campaign.pk,
            sku.product_id,
        )
        assert place(shop, (sku, 1), now=campaign.ends_at).discount == 0


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("20.01", "The campaign price $20.01 is above the regular price $20.00 of “Cozy Hoodie”."),
        ("16.01", "asks for at least 20% off"),
        ("0", "The campaign price must be at least $0.01."),
        ("abc", "Campaign price must be a number"),
    ],
)
def test_bad_campaign_prices_are_refused(owner_client, shop, sku, price, message):
    make_eligible(shop)
    response = register(owner_client, shop, CampaignFactory(), sku.product, price)
    assert response.status_code in (400, 409)
    assert message in response.content.decode()
    assert not CampaignProduct.objects.exists()


def test_a_shop_that_is_not_eligible_cannot_register(owner_client, shop, sku):
    make_eligible(shop, eligible=False)
    response = register(owner_client, shop, CampaignFactory(), sku.product, "10.00")
    assert response.status_code == 409
    assert "Your shop is not eligible for campaigns yet." in response.content.decode()
    assert not CampaignProduct.objects.exists()


def test_registration_outside_its_window_is_refused(owner_client, shop, sku):
    make_eligible(shop)
    now = timezone.now()
    early = CampaignFactory(
        name="Cyber Monday",
        registration_starts_at=now + timedelta(days=1),
        registration_ends_at=now + timedelta(days=2),
    )
    late = CampaignFactory(
        name="Summer",
        registration_starts_at=now - timedelta(days=2),
        registration_ends_at=now - timedelta(seconds=1),
    )
    assert (
        "Registration for Cyber Monday opens on"
        in register(owner_client, shop, early, sku.product, "10.00").content.decode()
    )
    assert (
        "Registration for Summer closed on"
        in register(owner_client, shop, late, sku.product, "10.00").content.decode()
    )
    assert not CampaignProduct.objects.exists()


def test_re_registering_changes_the_price_and_withdrawing_stops_it(owner_client, shop, sku):
    with scope(shop=shop):
        make_eligible(shop)
        campaign = CampaignFactory()
    register(owner_client, shop, campaign, sku.product, "15.00")
    register(owner_client, shop, campaign, sku.product, "12.00")
    with scope(shop=shop):
        registration = CampaignProduct.objects.get()
    assert registration.campaign_price == Decimal("12.00")
    kw = {"shop_slug": shop.slug, "campaign_product_id": registration.pk}
    owner_client.post(reverse("marketing:campaign_withdraw", kwargs=kw))
    with scope(shop=shop):
        assert place(shop, (sku, 1), now=campaign.starts_at).discount == 0


def test_campaigns_tab_shows_windows_eligibility_and_the_register_link(owner_client, shop):
    campaign = CampaignFactory(name="Black Friday")
    url = reverse("marketing:overview", kwargs={"shop_slug": shop.slug}) + "?tab=campaigns"
    page = owner_client.get(url).content.decode()
    assert "Black Friday" in page and "not eligible" in page and "Register products" not in page
    make_eligible(shop)
    page = owner_client.get(url).content.decode()
    assert f"?campaign={campaign.pk}" in page


def test_staff_publish_a_campaign_in_the_admin(admin_client):
    now = timezone.now()
    fmt = {
        "registration_starts_at_0": f"{now:%Y-%m-%d}",
        "registration_starts_at_1": "00:00:00",
        "registration_ends_at_0": f"{now + timedelta(days=5):%Y-%m-%d}",
        "registration_ends_at_1": "00:00:00",
        "starts_at_0": f"{now + timedelta(days=10):%Y-%m-%d}",
        "starts_at_1": "00:00:00",
        "ends_at_0": f"{now + timedelta(days=12):%Y-%m-%d}",
        "ends_at_1": "00:00:00",
    }
    response = admin_client.post(
        reverse("admin:catalog_campaign_add"),
        {"name": "Black Friday", "description": "", "min_discount_percent": "15", **fmt},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Campaign.objects.get().name == "Black Friday"
    # A campaign that ends before it starts is refused by the form.
    bad = dict(fmt, ends_at_0=f"{now + timedelta(days=9):%Y-%m-%d}")
    response = admin_client.post(
        reverse("admin:catalog_campaign_add"),
        {"name": "Backwards", "min_discount_percent": "15", **bad},
    )
    assert response.status_code == 200
    assert Campaign.objects.count() == 1


def test_home_shows_current_and_upcoming_campaigns_with_eligibility(owner_client, shop):
    now = timezone.now()
    CampaignFactory(name="Black Friday")
    CampaignFactory(
        name="Last Year",
        registration_starts_at=now - timedelta(days=30),
        registration_ends_at=now - timedelta(days=20),
        starts_at=now - timedelta(days=10),
        ends_at=now - timedelta(days=1),
    )
    home = reverse("home", kwargs={"shop_slug": shop.slug})
    page = owner_client.get(home).content.decode()
    assert "Black Friday" in page and "Registration open" in page and "Last Year" not in page
    assert "Your shop is not eligible yet" in page and "Register products" not in page
    make_eligible(shop)
    page = owner_client.get(home).content.decode()
    assert "Your shop is eligible to register." in page and "Register products" in page

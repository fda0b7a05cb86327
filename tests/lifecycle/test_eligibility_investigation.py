"""SPEC §3: a shop under an inactivity investigation (delisted, capped) does not meet "Active
shop status" for program eligibility, and its standing page says why."""

import pytest
from django.urls import reverse
from django_scopes import scope

from common.policy import POLICY
from lifecycle.eligibility import eligibility_evaluate, shop_is_eligible
from lifecycle.services.relist import shop_relist
from shops.models import Shop
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def evaluate(shop):
    shop.refresh_from_db()
    with scope(shop=shop):
        return eligibility_evaluate(shop=shop, trigger="on_demand")


@pytest.mark.parametrize("in_investigation, eligible", [(False, True), (True, False)])
def test_an_active_shop_under_investigation_is_not_eligible(
    good_shop, override_policy, in_investigation, eligible
):
    override_policy(investigation_daily_order_cap=7)
    Shop.objects.filter(pk=good_shop.pk).update(in_investigation=in_investigation)
    evaluation = evaluate(good_shop)
    status = next(c for c in evaluation.criteria if c["key"] == "status")
    assert evaluation.eligible is eligible
    assert status["passed"] is eligible
    if in_investigation:
        assert status["value"] == "Under an inactivity investigation (at most 7 orders a day)"
        assert "Re-list my store" in status["fix"]
    else:
        assert status["value"] == "Active"


def test_re_listing_ends_the_investigation_and_the_shop_qualifies_again(good_shop):
    Shop.objects.filter(pk=good_shop.pk).update(in_investigation=True)
    assert not evaluate(good_shop).eligible
    with scope(shop=good_shop):
        shop_relist(shop=good_shop, actor=None)
    assert evaluate(good_shop).eligible


def test_the_standing_page_shows_the_investigation_as_the_reason(client, good_shop):
    Shop.objects.filter(pk=good_shop.pk).update(in_investigation=True)
    owner = MembershipFactory(shop=good_shop, role="owner").user
    client.force_login(owner)
    response = client.post(
        reverse("standing:eligibility_check", kwargs={"shop_slug": good_shop.slug}), follow=True
    )
    page = response.content.decode()
    assert "Not eligible yet" in page
    row = page.split('data-criterion="status"')[1].split("</tr>")[0]
    cap = POLICY.investigation_daily_order_cap
    assert f"Under an inactivity investigation (at most {cap} orders a day)" in row
    assert "Fail" in row and "Re-list my store" in row


@pytest.mark.parametrize("in_investigation", [False, True])
def test_the_standing_page_flags_an_investigation_before_the_next_check(
    client, good_shop, in_investigation
):
    with scope(shop=good_shop):
        eligibility_evaluate(shop=good_shop, trigger="monthly")  # eligible, before the delisting
    Shop.objects.filter(pk=good_shop.pk).update(in_investigation=in_investigation)
    client.force_login(MembershipFactory(shop=good_shop, role="owner").user)
    page = client.get(
        reverse("standing:eligibility", kwargs={"shop_slug": good_shop.slug})
    ).content.decode()
    assert ("under an inactivity investigation" in page) is in_investigation


def test_campaign_registration_stops_when_an_investigation_starts_after_the_evaluation(
    good_shop,
):
    with scope(shop=good_shop):
        eligibility_evaluate(shop=good_shop, trigger="monthly")
        assert shop_is_eligible(good_shop)
        Shop.objects.filter(pk=good_shop.pk).update(in_investigation=True)
        good_shop.refresh_from_db()
        assert not shop_is_eligible(good_shop)  # until the seller re-lists
        shop_relist(shop=good_shop, actor=None)
        assert shop_is_eligible(good_shop)

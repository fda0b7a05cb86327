"""SPEC §3 program eligibility: six criteria, each at its threshold; history; on demand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from common.policy import POLICY
from lifecycle.eligibility import eligibility_evaluate, evaluate_criteria, shop_is_eligible
from lifecycle.models import EligibilityEvaluation
from lifecycle.tasks import eligibility_sweep_task
from sellercenter.celery import BEAT_SCHEDULE
from shops.models import Shop
from tests.factories import OrderFactory, ShopFactory, ViolationFactory
from tests.lifecycle.conftest import completed_orders

pytestmark = pytest.mark.django_db


def result(shop):
    with scope(shop=shop):
        return {c.key: c for c in evaluate_criteria(shop)}


def test_a_shop_meeting_every_threshold_exactly_is_eligible(good_shop):
    with scope(shop=good_shop):
        evaluation = eligibility_evaluate(shop=good_shop, trigger="on_demand")
        assert evaluation.eligible
        assert shop_is_eligible(good_shop)


@pytest.mark.parametrize("sps, passes", [("3.99", False), ("4.00", True)])
def test_sps_at_least_4(good_shop, sps, passes):
    Shop.objects.filter(pk=good_shop.pk).update(sps=Decimal(sps))
    good_shop.refresh_from_db()
    assert result(good_shop)["sps"].passed is passes


@pytest.mark.parametrize("points, passes", [(12, True), (13, False)])
def test_violation_points_no_more_than_12(good_shop, points, passes):
    ViolationFactory(shop=good_shop, points=points - 1)
    ViolationFactory(shop=good_shop, points=1)
    assert result(good_shop)["violation_points"].passed is passes
    assert result(good_shop)["violation_points"].value == str(points)


def test_old_violation_points_no_longer_count(good_shop, settings):
    window = POLICY.violation_points_window_days
    ViolationFactory(
        shop=good_shop, points=13, created_at=timezone.now() - timedelta(days=window, hours=1)
    )
    assert result(good_shop)["violation_points"].passed


@pytest.mark.parametrize("fraud, passes", [(0, True), (1, False)])
def test_no_fraud_related_violation(good_shop, fraud, passes):
    for _ in range(fraud):
        ViolationFactory(shop=good_shop, points=0, fraud=True)
    ViolationFactory(shop=good_shop, points=0, fraud=False)
    assert result(good_shop)["fraud"].passed is passes


@pytest.mark.parametrize("count, passes", [(99, False), (100, True)])
def test_completed_orders_in_the_past_30_days(count, passes):
    shop = ShopFactory(sps=Decimal("4.5"), on_probation=False)
    completed_orders(shop, count)
    completed_orders(shop, 5, days_ago=31)  # outside the window
    OrderFactory(shop=shop, status="delivered")  # not completed yet
    assert result(shop)["completed_orders"].passed is passes


@pytest.mark.parametrize("on_probation, passes", [(True, False), (False, True)])
def test_probation_passed(good_shop, on_probation, passes):
    Shop.objects.filter(pk=good_shop.pk).update(on_probation=on_probation)
    good_shop.refresh_from_db()
    assert result(good_shop)["probation"].passed is passes


@pytest.mark.parametrize(
    "status, passes",
    [("active", True), ("pending_verification", False), ("deactivated", False)],
)
def test_shop_status_active(good_shop, status, passes):
    Shop.objects.filter(pk=good_shop.pk).update(status=status)
    good_shop.refresh_from_db()
    assert result(good_shop)["status"].passed is passes


def test_latest_evaluation_decides_and_history_is_kept(good_shop):
    with scope(shop=good_shop):
        eligibility_evaluate(shop=good_shop, trigger="monthly")
        assert shop_is_eligible(good_shop)
        ViolationFactory(shop=good_shop, fraud=True)
        eligibility_evaluate(shop=good_shop, trigger="on_demand")
        assert not shop_is_eligible(good_shop)
        assert EligibilityEvaluation.objects.filter(shop=good_shop).count() == 2


def test_never_evaluated_is_not_eligible(good_shop):
    with scope(shop=good_shop):
        assert not shop_is_eligible(good_shop)


def test_page_shows_value_threshold_result_and_fix_and_checks_on_demand(client, shop, owner):
    client.force_login(owner)
    url = reverse("standing:eligibility", kwargs={"shop_slug": shop.slug})
    assert "Not evaluated yet" in client.get(url).content.decode()
    response = client.post(
        reverse("standing:eligibility_check", kwargs={"shop_slug": shop.slug}), follow=True
    )
    page = response.content.decode()
    assert "Not eligible yet" in page
    assert "at least 4.0" in page and "0.00" in page
    assert "Ship on time" in page  # how to fix the failing SPS
    assert "Completed orders in the past 30 days" in page
    with scope(shop=shop):
        evaluation = EligibilityEvaluation.objects.get(shop=shop)
    assert evaluation.trigger == "on_demand" and evaluation.actor == owner


def test_monthly_sweep_evaluates_every_shop_once_a_month(good_shop):
    other = ShopFactory()
    ShopFactory(status="deleted")
    eligibility_sweep_task()
    eligibility_sweep_task()
    with scopes_disabled():  # the sweep's result, across every shop
        assert EligibilityEvaluation.objects.filter(trigger="monthly").count() == 2
        assert set(EligibilityEvaluation.objects.values_list("shop_id", flat=True)) == {
            good_shop.pk,
            other.pk,
        }


def test_beat_runs_on_the_first_of_the_month():
    entry = BEAT_SCHEDULE["lifecycle-program-eligibility"]
    assert entry["schedule"].day_of_month == {1}
    assert entry["options"]["expires"]


def test_a_shop_waiting_for_verification_has_not_passed_probation(good_shop):
    Shop.objects.filter(pk=good_shop.pk).update(status="pending_verification", on_probation=False)
    good_shop.refresh_from_db()
    probation = result(good_shop)["probation"]
    assert not probation.passed and probation.value == "not started"

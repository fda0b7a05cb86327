"""The countdown banner is on every seller page, so its facts are a cached shop figure
(lifecycle.selectors.BANNER_FIGURE). Each change to them forgets it when it commits: a seller
never sees yesterday's stage, nor products still "delisted" after re-listing them."""

import pytest
from django.urls import reverse
from django_scopes import scope

from lifecycle.models import InactivityStage
from lifecycle.selectors import inactivity_status
from shops import activity
from tests.lifecycle.conftest import day, make_seller_shop

pytestmark = pytest.mark.django_db


def banner(shop):
    with scope(shop=shop):
        status = inactivity_status(shop, today=day(67))
    return status.stage, status.delisted_products


def test_the_sweep_moves_the_banner_it_cached(run_sweep):
    shop = make_seller_shop("Quiet")
    assert banner(shop) == ("", 0)  # read, and cached, before any sweep
    run_sweep(60)
    assert banner(shop)[0] == InactivityStage.FIRST_REMINDER
    run_sweep(67)
    assert banner(shop) == (InactivityStage.DELISTED, 2)


def test_a_dry_run_leaves_the_cached_banner_alone(run_sweep):
    shop = make_seller_shop("Dry")
    run_sweep(60)
    assert banner(shop)[0] == InactivityStage.FIRST_REMINDER
    run_sweep(67, dry_run=True)
    assert banner(shop) == (InactivityStage.FIRST_REMINDER, 0)


def test_relisting_clears_the_banner_at_once(client, run_sweep, django_capture_on_commit_callbacks):
    shop = make_seller_shop("Sleepy")
    run_sweep(60)
    run_sweep(67)
    assert banner(shop) == (InactivityStage.DELISTED, 2)
    client.force_login(shop.memberships.get(role="owner").user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lifecycle:relist", kwargs={"shop_slug": shop.slug}))
    assert banner(shop) == ("", 0)


def test_activity_closing_the_episode_clears_its_stage(
    run_sweep, django_capture_on_commit_callbacks
):
    shop = make_seller_shop("Back")
    run_sweep(60)
    assert banner(shop)[0] == InactivityStage.FIRST_REMINDER
    with django_capture_on_commit_callbacks(execute=True):
        activity.record(shop=shop, kind=activity.Kind.SIGNED_IN)
    assert banner(shop) == ("", 0)

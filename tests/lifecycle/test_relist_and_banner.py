"""Re-listing (SPEC §9.2) and the countdown banner."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEvent
from catalog.models import Product
from common.clock import local_date
from lifecycle.models import InactivityEpisode
from lifecycle.selectors import inactivity_status
from shops.models import Shop
from tests.admin_actions import post_action
from tests.factories import MembershipFactory, ProductFactory, SKUFactory
from tests.lifecycle.conftest import day, make_seller_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def delisted_shop(run_sweep):
    shop = make_seller_shop("Sleepy")
    # A live product whose stock ran out: it cannot go live again.
    SKUFactory(product=ProductFactory(shop=shop, title="Sold out"), on_hand=0)
    run_sweep(60)
    run_sweep(67)
    assert Product.objects.filter(shop=shop, status="delisted").count() == 3
    return shop


def owner_of(shop):
    return shop.memberships.get(role="owner").user


def statuses(shop):
    with scope(shop=shop):
        return dict(Product.objects.filter(shop=shop).values_list("title", "status"))


def test_relisting_brings_back_what_the_sweep_delisted_and_ends_the_investigation(
    client, delisted_shop
):
    shop = delisted_shop
    client.force_login(owner_of(shop))
    url = reverse("lifecycle:relist", kwargs={"shop_slug": shop.slug})
    page = client.get(url)
    assert "3 products" in page.content.decode() and "Re-list my store" in page.content.decode()

    response = client.post(url)
    assert response.status_code == 302
    assert statuses(shop) == {
        "Sleepy Live one": "live",
        "Sleepy Live two": "live",
        "Sleepy paused": "deactivated",  # the seller's own choice stays
        "Sleepy draft": "draft",
        "Sold out": "issues",
    }
    with scope(shop=shop):
        sold_out = Product.objects.get(title="Sold out")
        assert not InactivityEpisode.objects.filter(closed_at__isnull=True).exists()
    assert "stock" in sold_out.status_reason and sold_out.delisted_by == ""
    shop.refresh_from_db()
    assert shop.in_investigation is False
    event = AuditEvent.objects.get(shop_id=shop.pk, action="lifecycle.relist")
    assert event.actor == owner_of(shop) and event.changes["products_live"] == [0, 2]


def test_relisting_after_activity_closed_the_episode_still_works(client, delisted_shop):
    from shops import activity

    shop = delisted_shop
    activity.record(shop=shop, kind=activity.Kind.SIGNED_IN)
    client.force_login(owner_of(shop))
    client.post(reverse("lifecycle:relist", kwargs={"shop_slug": shop.slug}))
    assert statuses(shop)["Sleepy Live one"] == statuses(shop)["Sleepy Live two"] == "live"


def test_a_banned_shop_cannot_relist_and_nothing_changes(client, delisted_shop):
    shop = delisted_shop
    Shop.objects.filter(pk=shop.pk).update(status="banned")
    client.force_login(owner_of(shop))
    url = reverse("lifecycle:relist", kwargs={"shop_slug": shop.slug})
    assert "banned permanently" in client.get(url).content.decode()
    response = client.post(url)
    # A banned shop's members are served no seller page at all (shops.tenancy refuses them).
    assert response.status_code == 403
    assert "cannot be re-listed" in response.content.decode()
    assert list(statuses(shop).values()).count("delisted") == 3
    shop.refresh_from_db()
    assert shop.in_investigation is True


def test_products_delisted_by_deactivation_are_not_relisted_here(client, delisted_shop):
    shop = delisted_shop
    other = ProductFactory(shop=shop, status="delisted", delisted_by="deactivation")
    client.force_login(owner_of(shop))
    client.post(reverse("lifecycle:relist", kwargs={"shop_slug": shop.slug}))
    other.refresh_from_db()
    assert other.status == "delisted"


def test_staff_members_cannot_relist_but_managers_can(client, delisted_shop):
    shop = delisted_shop
    url = reverse("lifecycle:relist", kwargs={"shop_slug": shop.slug})
    staff = MembershipFactory(shop=shop, role="staff").user
    client.force_login(staff)
    assert client.post(url).status_code == 403
    assert list(statuses(shop).values()).count("delisted") == 3
    client.force_login(MembershipFactory(shop=shop, role="manager").user)
    assert client.post(url).status_code == 302


@pytest.mark.parametrize(
    ("sweep_days", "today", "stage", "until", "label"),
    [
        ([], 10, "", 50, "Inactivity reminder"),
        ([60], 60, "first_reminder", 7, "Every live product will be delisted"),
        ([60], 66, "first_reminder", 1, "Every live product will be delisted"),
        ([60, 67], 67, "delisted", 23, "Final reminder before a permanent ban"),
        ([60, 67, 90], 92, "second_reminder", 5, "Your shop will be banned permanently"),
        ([60, 67, 90, 97], 97, "banned", None, ""),
    ],
)
def test_inactivity_status_counts_down_to_the_next_action(
    run_sweep, sweep_days, today, stage, until, label
):
    shop = make_seller_shop("Count")
    for n in sweep_days:
        run_sweep(n)
    shop.refresh_from_db()
    with scope(shop=shop):  # the banner's facts are read on the shop's own pages
        status = inactivity_status(shop, day(today))
    assert (status.stage, status.days_until_next_action, status.next_action_label) == (
        stage,
        until,
        label,
    )
    assert status.days_inactive == today


def test_with_a_deposit_the_last_action_is_no_ban(run_sweep):
    shop = make_seller_shop("Safe", deposit=True)
    for n in (60, 67, 90):
        run_sweep(n)
    shop.refresh_from_db()
    with scope(shop=shop):
        assert "Ban waived" in inactivity_status(shop, day(91)).next_action_label


def test_the_banner_on_home_counts_down_and_links_to_relist_and_activity_log(client, run_sweep):
    shop = make_seller_shop("Banner")
    # A session that outlived its sign-in (signing in would itself be activity).
    client.force_login(owner_of(shop))
    # Inactive for 62 days as of the real today, reminded two days ago.
    Shop.objects.filter(pk=shop.pk).update(
        last_activity_at=timezone.now() - timedelta(days=62, hours=1)
    )
    from lifecycle.services.inactivity.sweep import sweep_inactivity

    sweep_inactivity(run_date=local_date() - timedelta(days=2))
    html = client.get(reverse("home", kwargs={"shop_slug": shop.slug})).content.decode()
    assert "inactive for 6" in html  # 62 or 63 calendar days depending on the hour
    assert "Every live product will be delisted in <strong>5 days</strong>" in html
    assert reverse("shops:settings", kwargs={"shop_slug": shop.slug}) + "#activity-log" in html


def test_no_banner_for_an_active_shop(owner_client, shop):
    html = owner_client.get(reverse("home", kwargs={"shop_slug": shop.slug})).content.decode()
    assert "inactivity-banner" not in html


def test_the_banner_offers_relisting_once_the_countdown_stopped(client, delisted_shop):
    from shops import activity

    activity.record(shop=delisted_shop, kind=activity.Kind.SIGNED_IN)
    client.force_login(owner_of(delisted_shop))
    html = client.get(reverse("home", kwargs={"shop_slug": delisted_shop.slug})).content.decode()
    assert "3 products delisted for inactivity" in html
    assert reverse("lifecycle:relist", kwargs={"shop_slug": delisted_shop.slug}) in html


def test_staff_lift_a_ban_in_the_admin_and_the_seller_can_then_relist(client, run_sweep):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory, sign_in_verified

    shop = make_seller_shop("Banned")
    for n in (60, 67, 90, 97):
        run_sweep(n)
    shop.refresh_from_db()
    assert shop.status == "banned"
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_shop", "view_inactivityepisode"])
    )
    sign_in_verified(client, staff)  # the staff console asks for the second factor
    with scope(shop=shop):
        episode = InactivityEpisode.objects.get()
    response = post_action(
        client, "admin:lifecycle_inactivityepisode_changelist", "lift_ban", [episode.pk]
    )
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.status == "active"
    assert AuditEvent.objects.filter(shop_id=shop.pk, action="lifecycle.shop_active").exists()
    client.force_login(owner_of(shop))
    client.post(reverse("lifecycle:relist", kwargs={"shop_slug": shop.slug}))
    assert list(statuses(shop).values()).count("live") == 2


def test_staff_without_the_permission_cannot_lift_a_ban(client, run_sweep):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    shop = make_seller_shop("Stays")
    for n in (60, 67, 90, 97):
        run_sweep(n)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_inactivityepisode"))
    client.force_login(staff)
    with scope(shop=shop):
        episode = InactivityEpisode.objects.get()
    post_action(client, "admin:lifecycle_inactivityepisode_changelist", "lift_ban", [episode.pk])
    shop.refresh_from_db()
    assert shop.status == "banned"

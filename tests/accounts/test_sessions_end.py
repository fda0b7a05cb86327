"""Deactivation, ban and deletion end every session of the affected users."""

import pytest
from django.urls import reverse

from shops.models import Shop
from shops.services.shop_status import shop_set_status
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(client, url) -> bool:
    response = client.get(url)
    return not (response.status_code == 302 and "/accounts/login/" in response["Location"])


def test_deactivating_a_user_signs_them_out_everywhere(client, owner, shop):
    client.force_login(owner)
    home = reverse("home", kwargs={"shop_slug": shop.slug})
    assert signed_in(client, home)
    owner.is_active = False
    owner.save()
    assert not signed_in(client, home)


def test_a_ban_signs_out_every_member_but_nobody_else(client, shop, other_shop):
    member = MembershipFactory(shop=shop, role="manager").user
    bystander = MembershipFactory(shop=other_shop).user
    from django.test import Client

    member_client, bystander_client = Client(), Client()
    member_client.force_login(member)
    bystander_client.force_login(bystander)
    shop_set_status(
        shop=shop, actor=UserFactory(is_staff=True), to=Shop.Status.BANNED, reason="fraud"
    )
    assert not signed_in(member_client, reverse("shop_picker"))
    assert signed_in(bystander_client, reverse("shop_picker"))


def test_the_inactivity_sweeps_ban_signs_members_out(client, owner, shop):
    from datetime import timedelta

    from common.clock import day_start, local_date
    from lifecycle.services.inactivity.sweep import sweep_inactivity

    client.force_login(owner)
    # Days count on the platform calendar: last active at noon, 97 platform days ago (counted
    # from UTC's date this test failed between midnight UTC and midnight in the platform zone).
    today = local_date()
    last_active = day_start(today - timedelta(days=97)) + timedelta(hours=12)
    Shop.objects.filter(pk=shop.pk).update(last_activity_at=last_active)
    day_60 = today - timedelta(days=37)
    for offset in (0, 7, 30, 37):  # day 60 reminder, 67 delist, 90 second reminder, 97 ban
        sweep_inactivity(run_date=day_60 + timedelta(days=offset))
    shop.refresh_from_db()
    assert shop.status == Shop.Status.BANNED
    assert not signed_in(client, reverse("shop_picker"))

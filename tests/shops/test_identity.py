"""The session's cached identity: every change to who may see a seller page takes effect on the
very next request, while an unchanged session reads no user, device or membership row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuthenticatorDevice
from accounts.sessions import end_all_sessions
from shops.models import Membership, Shop
from tests.factories import MembershipFactory, UserFactory, enable_two_factor, sign_in_verified

pytestmark = pytest.mark.django_db


def home(shop) -> str:
    return reverse("home", kwargs={"shop_slug": shop.slug})


def finance(shop) -> str:
    return reverse("orders:finance", kwargs={"shop_slug": shop.slug})


@pytest.fixture
def member_client(client, shop):
    """A manager of the shop, signed in and seen once (so the identity is cached)."""
    user = UserFactory(email="mia@alpha.test")
    MembershipFactory(shop=shop, user=user, role="manager")
    sign_in_verified(client, user)
    assert client.get(home(shop)).status_code == 200
    client.user = user
    return client


def test_an_unchanged_session_reads_no_user_device_or_membership_row(member_client, shop):
    with CaptureQueriesContext(connection) as ctx:
        assert member_client.get(home(shop)).status_code == 200
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    for table in ("accounts_user", "accounts_authenticatordevice", "shops_membership"):
        assert table not in tables


def test_a_removed_member_gets_404_on_the_next_request(member_client, shop):
    Membership.objects.filter(user=member_client.user, shop=shop).delete()
    assert member_client.get(home(shop)).status_code == 404


def test_a_new_role_applies_on_the_next_request(member_client, shop):
    assert member_client.get(finance(shop)).status_code == 403  # managers see no finance
    membership = Membership.objects.get(user=member_client.user, shop=shop)
    membership.role = "owner"
    membership.save()
    assert member_client.get(finance(shop)).status_code == 200
    Membership.objects.filter(pk=membership.pk).update(role="staff")
    assert (
        member_client.get(
            reverse("catalog:product_list", kwargs={"shop_slug": shop.slug})
        ).status_code
        == 403
    )


def test_ended_sessions_are_signed_out_on_the_next_request(member_client, shop):
    end_all_sessions(member_client.user)
    response = member_client.get(home(shop))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_deactivated_user_is_signed_out_on_the_next_request(member_client, shop):
    type(member_client.user).objects.filter(pk=member_client.user.pk).update(is_active=False)
    response = member_client.get(home(shop))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_session_verified_by_a_removed_device_must_verify_again(member_client, shop):
    """Two-step turned off and on again elsewhere: the device this session proved is gone."""
    AuthenticatorDevice.objects.filter(user=member_client.user).delete()
    enable_two_factor(member_client.user)
    response = member_client.get(home(shop))
    assert response.status_code == 302 and reverse("account_reauth") in response["Location"]


def test_a_session_without_its_second_factor_is_stopped_once_two_step_is_enabled(client, shop):
    user = UserFactory(email="nico@alpha.test")
    MembershipFactory(shop=shop, user=user, role="owner")
    client.force_login(user)
    assert client.get(home(shop)).status_code == 200  # not enrolled: no second factor owed
    enable_two_factor(user)
    response = client.get(home(shop))
    assert response.status_code == 302 and reverse("account_reauth") in response["Location"]


def test_a_banned_shop_serves_its_members_no_page_from_the_next_request(member_client, shop):
    Shop.objects.filter(pk=shop.pk).update(status=Shop.Status.BANNED)
    assert member_client.get(home(shop)).status_code == 403


def test_a_renamed_shop_shows_its_new_name_on_the_next_request(member_client, shop):
    shop.name = "Alpha Renamed"
    shop.save()
    assert "Alpha Renamed" in member_client.get(home(shop)).content.decode()

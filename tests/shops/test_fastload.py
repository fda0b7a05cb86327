"""Tenancy's hand-written membership query gives exactly what the ORM gives."""

from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from shops.models import Membership, Shop
from shops.tenancy import resolve_membership
from tests.factories import MembershipFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_membership_and_shop_equal_the_orm_field_by_field():
    user = UserFactory()
    shop = ShopFactory(sps=Decimal("4.37"), on_probation=True, low_stock_default=7)
    MembershipFactory(user=user, shop=shop, role="manager")
    with CaptureQueriesContext(connection) as queries:
        fast = resolve_membership(user, shop.slug)
    assert len(queries) == 1
    orm = Membership.objects.select_related("shop").get(user=user, shop=shop)
    assert fields(fast) == fields(orm)
    assert fields(fast.shop) == fields(orm.shop)
    # types as the ORM gives them (SQLite returns text for dates and decimals)
    assert isinstance(fast.shop.sps, Decimal) and fast.shop.created_at.tzinfo is not None
    assert fast.shop.on_probation is True and fast.can("view")
    assert fast._state.adding is False
    fast.shop.save(update_fields=["name"])  # a real instance: saves like one


def test_strangers_and_deleted_shops_are_404():
    user = UserFactory()
    mine = ShopFactory()
    MembershipFactory(user=user, shop=mine)
    stranger_shop = ShopFactory()
    gone = ShopFactory(status=Shop.Status.DELETED)
    MembershipFactory(user=user, shop=gone)
    for slug in (stranger_shop.slug, gone.slug, "no-such-shop", "x' OR '1'='1"):
        with pytest.raises(Http404):
            resolve_membership(user, slug)


def test_the_signed_in_user_equals_the_orm_and_inactive_users_are_refused():
    from accounts.backends import ModelBackend, user_by_pk
    from accounts.models import User

    user = UserFactory(full_name="Zoë Ünicode")
    fast = user_by_pk(user.pk)
    assert fields(fast) == fields(User.objects.get(pk=user.pk))
    assert fast.check_password("not-the-password") is False and fast.is_authenticated
    assert user_by_pk(user.pk + 1000) is None
    assert ModelBackend().get_user(user.pk) == user
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert ModelBackend().get_user(user.pk) is None


def test_the_session_device_equals_the_orm_and_bad_ids_are_none():
    from django_otp.models import Device

    from accounts.middleware import device_by_persistent_id
    from accounts.models import AuthenticatorDevice
    from tests.factories import enable_two_factor

    user = UserFactory()
    enable_two_factor(user)
    device = AuthenticatorDevice.objects.get(user=user)
    fast = device_by_persistent_id(device.persistent_id)
    assert type(fast) is AuthenticatorDevice
    assert fields(fast) == fields(Device.from_persistent_id(device.persistent_id))
    for bad in ("", "nonsense", "accounts.authenticatordevice/x", "accounts.user/1",
                "nope.model/1", f"accounts.authenticatordevice/{device.pk + 99}"):  # fmt: skip
        assert device_by_persistent_id(bad) is None


def test_a_verified_session_reaches_seller_pages_and_an_unverified_one_does_not(client):
    from django.urls import reverse

    from tests.factories import enable_two_factor, sign_in_verified

    user = UserFactory()
    shop = ShopFactory()
    MembershipFactory(user=user, shop=shop, role="owner")
    enable_two_factor(user)
    home = reverse("home", kwargs={"shop_slug": shop.slug})
    client.force_login(user)
    assert client.get(home).status_code == 302  # second factor pending: sent to verify
    sign_in_verified(client, user)
    assert client.get(home).status_code == 200

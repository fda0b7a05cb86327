from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from shops import activity
from shops.models import ActivityEvent, Shop
from tests.factories import MembershipFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_record_moves_last_activity_forward_and_keeps_the_event(shop, owner):
    old = timezone.now() - timedelta(days=50)
    with scope(shop=shop):
        Shop.objects.filter(pk=shop.pk).update(last_activity_at=old)
        shop.refresh_from_db()
        activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=owner)
        shop.refresh_from_db()
        assert shop.last_activity_at > old + timedelta(days=49)
        event = ActivityEvent.objects.get(shop=shop)
    assert (event.kind, event.actor) == ("product_modified", owner)


def test_an_older_event_never_moves_last_activity_backwards(shop):
    now = timezone.now()
    Shop.objects.filter(pk=shop.pk).update(last_activity_at=now)
    shop.refresh_from_db()
    activity.record(shop=shop, kind=activity.Kind.ORDER_PROCESSED, at=now - timedelta(days=3))
    shop.refresh_from_db()
    assert shop.last_activity_at == now


def test_signing_in_counts_as_activity_for_every_shop_of_the_user(client, password):
    user = UserFactory()
    shops = [ShopFactory(), ShopFactory()]
    stranger_shop = ShopFactory()
    long_ago = timezone.now() - timedelta(days=61)
    Shop.objects.update(last_activity_at=long_ago)
    for s in shops:
        MembershipFactory(user=user, shop=s)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302
    for s in shops:
        s.refresh_from_db()
        assert s.last_activity_at > long_ago + timedelta(days=60)
        with scope(shop=s):
            assert ActivityEvent.objects.filter(kind="signed_in", actor=user).count() == 1
    stranger_shop.refresh_from_db()
    assert stranger_shop.last_activity_at == long_ago

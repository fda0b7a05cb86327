"""A LIVE's scheduled start is a time sellers plan around: the list and the session page show it
in the platform time zone with the zone's abbreviation."""

import re

import pytest
from django.urls import reverse

from tests.marketing.test_live_sessions import schedule

pytestmark = pytest.mark.django_db


def test_the_scheduled_start_names_its_time_zone(owner_client, shop, owner):
    session = schedule(shop, owner)
    kwargs = {"shop_slug": shop.slug}
    pages = [
        reverse("marketing:live_list", kwargs=kwargs),
        reverse("marketing:live_detail", kwargs={**kwargs, "livesession_id": session.pk}),
    ]
    for url in pages:
        body = owner_client.get(url).content.decode()
        assert re.search(r"\d{2}:\d{2} P[SD]T", body), url

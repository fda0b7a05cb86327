"""Settings → Security log: the owner sees their own shop's audit entries, newest
first, paginated, and can download them as CSV; other members and other shops see nothing."""

import csv
import io

import pytest
from django.urls import reverse

from accounts import audit
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _url(shop):
    return reverse("shops:security_log", kwargs={"shop_slug": shop.slug})


def test_owner_sees_only_their_shops_entries_paginated(
    owner_client, owner, shop, other_shop, override_policy
):
    override_policy(security_log_page_size=2)
    for n in range(3):
        audit.record(
            actor=owner, action="bank_account.changed", shop=shop, target=shop,
            changes={"account": ("••••1111", f"••••222{n}")}, ip="203.0.113.9",
        )  # fmt: skip
    audit.record(actor=None, action="lifecycle.shop_banned", shop=other_shop, target=other_shop)
    first = owner_client.get(_url(shop))
    assert first.status_code == 200
    html = first.content.decode()
    assert html.count("bank_account.changed") == 2 and "••••2222" in html
    assert "lifecycle.shop_banned" not in html and "Page 1 of 2" in html
    second = owner_client.get(_url(shop), {"page": 2}).content.decode()
    assert "••••2220" in second


def test_csv_export_of_the_security_log(owner_client, owner, shop):
    audit.record(
        actor=owner, action="2fa.enabled", shop=shop, target=owner, changes={"2fa": (False, True)}
    )
    response = owner_client.get(_url(shop), {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["time (UTC)", "who", "action"]
    assert rows[1][1:3] == [owner.email, "2fa.enabled"]
    assert rows[1][4] == "2fa: False → True"


def test_only_the_owner_sees_the_security_log(client, shop):
    manager = MembershipFactory(shop=shop, role="manager").user
    client.force_login(manager)
    assert client.get(_url(shop)).status_code == 403


def test_settings_links_to_the_security_log_for_owners(owner_client, shop):
    html = owner_client.get(reverse("shops:settings", kwargs={"shop_slug": shop.slug})).content
    assert _url(shop).encode() in html


def test_platform_staff_show_as_staff_without_their_address(owner_client, shop):
    from tests.factories import UserFactory

    staff = UserFactory(email="tess@platform.test", is_staff=True)
    audit.record(
        actor=staff, action="shop.status_changed", shop=shop, target=shop,
        changes={"status": ("active", "suspended")}, ip="198.51.100.7",
    )  # fmt: skip
    html = owner_client.get(_url(shop)).content.decode()
    assert "Seller Center staff" in html and "Shop status changed" in html
    assert "tess@platform.test" not in html and "198.51.100.7" not in html
    csv_text = b"".join(owner_client.get(_url(shop), {"format": "csv"}).streaming_content)
    assert b"tess@platform.test" not in csv_text and b"Seller Center staff" in csv_text

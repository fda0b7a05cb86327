"""Links respect roles: a member never sees a link to a page their role cannot open, and a page
they are refused keeps the seller layout and names the role it needs."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from tests.factories import MembershipFactory, UserFactory, sign_in_verified, staff_in_group

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a\b[^>]*\bhref="([^"#][^"]*)"')


def _same_kind(path: str) -> str:
    """Pages of one kind (order 12, order 13…) are crawled a few times, not each one."""
    return re.sub(r"/\d+/", "/N/", path)


def crawl(client, start: str, *, per_kind: int = 3, limit: int = 400) -> dict[str, int]:
    """Every GET link reachable from ``start`` inside the seller area: {url: status}."""
    seen: dict[str, int] = {}
    kinds: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/shops/"):
                continue
            if href.endswith((".csv", "/download/")) or "format=csv" in href:
                continue
            kind = _same_kind(parts.path)
            if href not in seen and kinds.get(kind, 0) < per_kind:
                kinds[kind] = kinds.get(kind, 0) + 1
                queue.append(href)
    return seen


def test_a_crawl_of_every_link_on_staff_and_manager_pages_meets_no_403(client):
    call_command("seed_demo", "--seed", "7")  # the richest data: orders, returns, messages
    home = reverse("home", kwargs={"shop_slug": "sunny-threads"})
    for email in ("staff@demo.test", "manager@demo.test"):
        client.logout()
        sign_in_verified(client, User.objects.get(email=email))
        seen = crawl(client, home)
        assert len(seen) > 20, email  # Home, orders, order pages, messages, help…
        refused = {url: status for url, status in seen.items() if status in (403, 404, 500)}
        assert refused == {}, email

    # Staff: Home shows the figures of pages staff cannot open, without their links.
    client.logout()
    sign_in_verified(client, User.objects.get(email="staff@demo.test"))
    page = client.get(home).content.decode()
    returns_tile = re.search(r'data-tile="returns">(.*?)</article>', page, re.S).group(1)
    assert "<a " not in returns_tile and "Returns" in returns_tile
    low_stock_tile = re.search(r'data-tile="low_stock">(.*?)</article>', page, re.S).group(1)
    assert "<a " not in low_stock_tile
    assert "Answer the return request" not in page  # someone else's job
    assert "/returns/" not in page and "/products/" not in page


def test_a_refused_page_keeps_the_seller_layout_and_names_the_role_needed(client, shop):
    staff = MembershipFactory(shop=shop, role="staff", user=UserFactory()).user
    client.force_login(staff)
    response = client.get(reverse("orders:return_list", kwargs={"shop_slug": shop.slug}))
    assert response.status_code == 403
    page = response.content.decode()
    assert 'class="sidenav"' in page and shop.name in page  # the layout, with its navigation
    assert "Returns needs the Owner or Manager role in this shop" in page
    assert "your role here is Staff" in page


@pytest.mark.parametrize(
    ("group", "lands_on"),
    [
        ("Support", "/admin/"),
        ("Trust & safety", "/admin/"),
        ("Finance", "/admin/"),
        ("Verification reviewers", "/review/"),
    ],
)
def test_after_sign_in_platform_staff_land_on_the_console_and_reviewers_on_the_queue(
    client, group, lands_on
):
    sign_in_verified(client, staff_in_group(group))
    response = client.get(reverse("shop_picker"))
    assert response.status_code == 302 and response["Location"] == lands_on


def test_a_seller_with_one_shop_still_lands_on_its_home(client, shop, owner):
    client.force_login(owner)
    response = client.get(reverse("shop_picker"))
    assert response["Location"] == reverse("home", kwargs={"shop_slug": shop.slug})

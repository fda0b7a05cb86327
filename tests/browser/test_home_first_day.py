"""A seller's first day, in Chromium: a new seller's Home is a getting-started checklist; staff
see no link to a page their role cannot open, and a page they type in keeps the layout and names
the role it needs; platform staff land on the staff console; the sign-in page breaks no CSP rule
and shows a favicon. Screenshots at 1440 and 390 px go to test-artifacts/."""

import pytest
from django.urls import reverse
from django_scopes import scope

from shops.models import Shop
from tests.browser.conftest import screenshot, sign_in, sign_in_with_second_factor
from tests.factories import (
    MembershipFactory,
    OrderFactory,
    OrderLineFactory,
    ShopFactory,
    UserFactory,
    enable_two_factor,
    staff_in_group,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shots(page, name):
    """The page at 1440 px and at 390 px (a phone)."""
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"{name}-{width}")


def csp_watch(page) -> list[str]:
    refused = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return refused


def test_a_new_sellers_home_is_a_getting_started_checklist(page, password):
    shop = ShopFactory(name="Fresh Start", slug="fresh", status=Shop.Status.PENDING_VERIFICATION)
    owner = MembershipFactory(
        shop=shop, role="owner", user=UserFactory(email="nina@new.test", full_name="Nina New")
    ).user
    refused = csp_watch(page)
    sign_in(page, owner.email, password)
    page.wait_for_url("**/shops/fresh/")
    assert page.locator("h1").inner_text().startswith("Welcome to Seller Center")
    assert page.locator("#tiles").count() == 0
    steps = page.locator("#getting-started li")
    assert steps.count() == 5
    assert "0 of 5 done" in page.inner_text("#getting-started")
    shots(page, "home-new-seller")
    page.click("#getting-started >> text=Add your first product")
    page.wait_for_url("**/shops/fresh/products/new/")
    assert refused == []


def test_staff_see_no_link_they_cannot_open_and_a_typed_url_names_the_role(page, password):
    shop = ShopFactory(name="Sunny Threads", slug="sunny")
    staff = MembershipFactory(shop=shop, role="staff", user=UserFactory(email="stan@s.test")).user
    with scope(shop=shop):
        OrderLineFactory(order=OrderFactory(shop=shop))
    sign_in(page, staff.email, password)
    page.wait_for_url("**/shops/sunny/")
    assert page.locator("[data-tile=returns] a").count() == 0
    assert page.locator("[data-tile=low_stock] a").count() == 0
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if "/returns/" in h or "/products/" in h or "/finance/" in h]
    page.goto(reverse("orders:return_list", kwargs={"shop_slug": "sunny"}))
    assert page.locator("nav.sidenav").is_visible()
    text = page.inner_text("#refused")
    assert "Returns needs the Owner or Manager role" in text and "Staff" in text
    shots(page, "refused-staff-returns")


def test_platform_staff_land_on_the_staff_console_after_sign_in(page, password):
    support = staff_in_group("Support", email="sol@platform.test")
    key, _ = enable_two_factor(support)
    sign_in_with_second_factor(page, support.email, password, key)
    page.wait_for_url("**/admin/")


def test_the_sign_in_page_breaks_no_csp_rule_and_has_a_favicon(page):
    refused = csp_watch(page)
    page.goto("/accounts/login/")
    page.wait_for_load_state("networkidle")
    icon = page.get_attribute("link[rel=icon]", "href")
    assert page.request.get(icon).status == 200
    assert refused == []


def test_an_empty_sales_chart_starts_at_zero_counts_whole_orders_and_reads_money(page, password):
    shop = ShopFactory(name="Quiet Shop", slug="quiet")
    owner = MembershipFactory(shop=shop, role="owner", user=UserFactory(email="q@q.test")).user
    sign_in(page, owner.email, password)
    page.wait_for_url("**/shops/quiet/")
    page.goto(reverse("orders:analytics", kwargs={"shop_slug": "quiet"}))
    page.wait_for_function("window.Chart && Chart.getChart('report-chart')")
    axes = page.evaluate(
        "Object.values(Chart.getChart('report-chart').scales).filter(a => a.axis === 'y')"
        ".map(a => ({name: a.options.title.text, min: a.min, ticks: a.ticks.map(t => t.label)}))"
    )
    assert {a["name"]: a["min"] for a in axes} == {"Revenue": 0, "Orders": 0}
    ticks = {a["name"]: a["ticks"] for a in axes}
    assert all(label.startswith("$") for label in ticks["Revenue"]), ticks
    assert all("." not in label for label in ticks["Orders"]), ticks  # no 0.1 orders

"""The seller's pages as a person meets them: axe-core finds no critical or serious violation,
every page fits a 390 px phone (wide tables stack, the menu and the shop switcher open below the
header over a backdrop), and screenshots at 1440 px and 390 px are kept for review."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from catalog.models import Product
from common.clock import local_date
from orders.models import ShippingTemplate
from tests.browser.axe import axe_violations, describe
from tests.browser.conftest import screenshot, sign_in
from tests.browser.ux_shop import build_ux_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seller_pages(shop, sold) -> dict[str, str]:
    kw = {"shop_slug": shop.slug}
    month = local_date(timezone.now()).strftime("%Y-%m")
    with scope(shop=shop):
        product_id = Product.objects.get(shop=shop, title="Organic cotton tee").pk
        template_id = ShippingTemplate.objects.filter(shop=shop).values_list("pk", flat=True)[0]
    return {
        "home": reverse("home", kwargs=kw),
        "products": reverse("catalog:product_list", kwargs=kw),
        "product-form": reverse("catalog:product_create", kwargs=kw),
        "product-edit": reverse("catalog:product_edit", kwargs={**kw, "product_id": product_id}),
        "shipping-template": reverse(
            "orders:shipping_template", kwargs={**kw, "shipping_template_id": template_id}
        ),
        "orders": reverse("orders:order_list", kwargs=kw),
        "order-detail": reverse("orders:order_detail", kwargs={**kw, "order_id": sold.pk}),
        "finance": reverse("orders:finance", kwargs=kw),
        "statement": reverse("orders:finance_statement", kwargs=kw) + f"?month={month}",
        "returns": reverse("orders:return_list", kwargs=kw),
        "help": reverse("help:help", kwargs=kw),
    }


def test_axe_finds_no_critical_or_serious_violation_on_the_seller_pages(page, password):
    shop, seller, sold = build_ux_shop()
    page.goto("/accounts/login/")
    found = {"sign-in": axe_violations(page)}
    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    for name, url in seller_pages(shop, sold).items():
        page.goto(url)
        found[name] = axe_violations(page)
    report = {name: describe(v) for name, v in found.items() if v}
    assert not report, "\n\n".join(f"{name}:\n{text}" for name, text in report.items())


def test_pages_fit_a_phone_and_screenshots_at_both_widths(browser, live_server, password):
    shop, seller, sold = build_ux_shop()
    pages = seller_pages(shop, sold)
    overflowing = {}
    for width, height in ((1440, 900), (390, 844)):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, seller.email, password)
        page.wait_for_url("**/shops/sunny/")
        for name, url in pages.items():
            page.goto(url)
            screenshot(page, f"ux/{name}-{width}")
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                overflowing[f"{name}@{width}"] = wide
        context.close()
    assert not overflowing, f"pages wider than the screen: {overflowing}"


def test_on_a_phone_tables_stack_and_menus_open_below_the_header(browser, live_server, password):
    shop, seller, sold = build_ux_shop()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    pages = seller_pages(shop, sold)

    # Orders: each row is a stacked card keeping the number (the link), status and amount.
    page.goto(pages["orders"])
    assert not page.is_visible("#order-table thead")
    row = page.locator("#order-table tbody tr").first
    for cell in (".stack-title a", ".stack-status .badge", ".stack-amount"):
        assert row.locator(cell).is_visible(), cell
    assert "$36,307.45" in page.inner_text("#order-table")
    box = row.bounding_box()
    assert box["width"] <= 390

    # The menu opens below the header, over a backdrop; a tap on the backdrop closes it.
    header = page.locator("header.topbar").bounding_box()
    page.click("label.nav-burger", force=True)
    nav = page.locator("nav.sidenav")
    assert nav.is_visible() and page.is_visible(".nav-backdrop")
    assert nav.bounding_box()["y"] >= header["y"] + header["height"] - 1
    page.mouse.click(370, 600)  # the backdrop, right of the menu
    assert not nav.is_visible()

    # The shop switcher shows its dropdown cue and opens below the header, over a backdrop.
    assert page.is_visible(".switcher .switcher-cue")
    page.click(".switcher summary")
    menu = page.locator(".switcher-menu")
    assert menu.is_visible()
    assert menu.bounding_box()["y"] >= header["y"] + header["height"] - 1
    assert menu.bounding_box()["x"] >= 0 and menu.bounding_box()["width"] <= 390
    assert page.is_visible(".switcher-menu >> text=Sign out")
    context.close()


def test_axe_finds_no_critical_or_serious_violation_on_the_other_pages(page, password):
    """The rest of the issue's list: analytics, messages, settings, onboarding, the review
    queue (as a reviewer)."""
    from django.contrib.auth.models import Group

    from shops.review.access import REVIEWER_GROUP
    from tests.factories import UserFactory

    shop, seller, _ = build_ux_shop()
    kw = {"shop_slug": shop.slug}
    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/sunny/")
    found = {}
    for name, url in {
        "analytics": reverse("orders:analytics", kwargs=kw),
        "messages": reverse("orders:inbox", kwargs=kw),
        "settings": reverse("shops:settings", kwargs=kw),
        "onboarding": reverse("onboarding:progress", kwargs=kw),
    }.items():
        page.goto(url)
        found[name] = axe_violations(page)
    page.context.clear_cookies()
    reviewer = UserFactory(email="riley@review.test")
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    sign_in(page, reviewer.email, password)
    page.goto(reverse("review:queue"))
    assert page.url.endswith(reverse("review:queue")), page.url
    found["review queue"] = axe_violations(page)
    report = {name: describe(v) for name, v in found.items() if v}
    assert not report, "\n\n".join(f"{name}:\n{text}" for name, text in report.items())

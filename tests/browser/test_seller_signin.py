import pytest
from django.urls import reverse

from tests.browser.conftest import sign_in
from tests.factories import (
    MembershipFactory,
    OrderFactory,
    ProductFactory,
    ShopFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_seller_signs_in_lands_on_home_and_switches_shop(page, password):
    seller = UserFactory(email="sam@seller.test", full_name="Sam Seller")
    first = ShopFactory(name="Sunny Threads", slug="sunny")
    second = ShopFactory(name="Lumen Home", slug="lumen")
    MembershipFactory(user=seller, shop=first, role="owner")
    MembershipFactory(user=seller, shop=second, role="owner")
    ProductFactory(shop=second, title="Desk Lamp")
    OrderFactory(shop=first)  # a selling shop (a new one's Home is the getting-started list)

    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/")
    assert "Sunny Threads" in page.content() and "Lumen Home" in page.content()
    page.click("text=Sunny Threads")
    page.wait_for_url(f"**{reverse('home', kwargs={'shop_slug': 'sunny'})}")
    assert page.locator("h1").inner_text().startswith("Welcome back")

    # Switch to the second shop from the top bar and open its products.
    page.click("summary:has-text('Sunny Threads')")
    page.click(".switcher-menu >> text=Lumen Home")
    page.wait_for_url("**/shops/lumen/")
    page.click("nav.sidenav >> text=Products")
    page.wait_for_url("**/shops/lumen/products/")
    assert "Desk Lamp" in page.content()


def test_member_of_shop_b_cannot_open_shop_a_pages(page, password):
    shop_a = ShopFactory(name="Alpha", slug="alpha")
    shop_b = ShopFactory(name="Beta", slug="beta")
    order = OrderFactory(shop=shop_a, buyer_name="Secret Buyer")
    member_b = MembershipFactory(
        shop=shop_b, role="owner", user=UserFactory(email="b@beta.test")
    ).user

    sign_in(page, member_b.email, password)
    page.wait_for_url("**/shops/beta/")
    for path in (
        "/shops/alpha/",
        f"/shops/alpha/orders/{order.pk}/",
        f"/shops/beta/orders/{order.pk}/",
    ):
        response = page.goto(path)
        assert response.status == 404, path
        assert "Page not found" in page.content()
        assert "Secret Buyer" not in page.content()


def test_home_is_usable_at_phone_width(page, password):
    user = MembershipFactory(shop=ShopFactory(slug="phone"), role="owner").user
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, user.email, password)
    page.wait_for_url("**/shops/phone/")
    assert not page.locator("nav.sidenav").is_visible()
    page.click("label.nav-burger")
    assert page.locator("nav.sidenav").is_visible()
    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

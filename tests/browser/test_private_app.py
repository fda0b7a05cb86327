"""Settings → Apps, as a new owner would: create a private app, copy its token, call the API
with it, see the call in the list, revoke it, and the token stops working."""

import pytest
import requests

from tests.browser.conftest import screenshot, sign_in_with_second_factor
from tests.factories import MembershipFactory, ShopFactory, SKUFactory, enable_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_creates_a_private_app_and_copies_the_token(page, live_server, password):
    shop = ShopFactory(name="Harbor Supply", slug="harbor")
    owner = MembershipFactory(shop=shop, role="owner", user__email="harbor@seller.test").user
    SKUFactory(product__shop=shop, product__title="Rope Basket")
    key, _ = enable_two_factor(owner)  # creating an app is a sensitive action
    sign_in_with_second_factor(page, owner.email, password, key)
    page.wait_for_url("**/shops/harbor/")

    page.click("nav.sidenav >> text=Settings")
    page.click("#apps-links a:text-is('Apps')")
    page.wait_for_url("**/shops/harbor/settings/apps/")
    assert "No app has access" in page.locator("#apps").inner_text()
    page.click("text=Create a private app")
    page.fill("input[name=name]", "Warehouse sync")
    page.check("text=See your products, variants (SKUs) and stock levels")
    page.check("text=Create and edit products, change their status and set stock")
    page.click("button:has-text('Create app and show its token')")
    page.wait_for_selector("#access-token")
    assert "shown only once" in page.content()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#copy-token")
    page.wait_for_selector("#copy-status:has-text('Copied')")
    token = page.evaluate("navigator.clipboard.readText()")
    assert token.startswith("scp_") and token == page.input_value("#access-token")
    screenshot(page, "private_app_token")

    headers = {"Authorization": f"Bearer {token}"}
    listed = requests.get(f"{live_server.url}/api/v1/products", headers=headers, timeout=10)
    assert listed.status_code == 200
    assert listed.json()["items"][0]["title"] == "Rope Basket"

    page.click("text=I have copied it")
    row = page.locator("#apps tbody tr").first
    assert "Warehouse sync" in row.inner_text() and "never" not in row.inner_text()
    assert token not in page.content()
    screenshot(page, "private_app_list")
    row.locator("text=Revoke").click()
    page.click("button:has-text('Revoke access')")
    page.wait_for_url("**/shops/harbor/settings/apps/")
    assert "Revoked" in page.locator("#apps").inner_text()
    refused = requests.get(f"{live_server.url}/api/v1/products", headers=headers, timeout=10)
    assert refused.status_code == 401

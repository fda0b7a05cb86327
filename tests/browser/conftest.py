"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against live_server."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls in test bodies are
# still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    try:
        screenshot(page, request.node.name)
    finally:
        context.close()


def screenshot(page, name: str) -> None:
    """Keep the whole page, as it is now, in test-artifacts/<name>.png for review (``name`` may
    start with a folder: "ux/home-390")."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, email: str, password: str):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def sign_in_with_second_factor(page, email: str, password: str, key: bytes):
    """Both sign-in steps: the password, then the authenticator app's current code."""
    from tests.factories import totp_code

    sign_in(page, email, password)
    page.wait_for_url("**/account/second-factor/")
    page.fill("input[name=code]", totp_code(key))
    page.click("button:has-text('Verify')")


def buyer_fills_the_cart(page, *, city: str = "Albany", state: str = "NY"):
    """On the storefront cart: Bea Buyer's name, email and street, then the shipping quote the
    chosen state brings (the postcode is left to the caller)."""
    page.fill("#b-name", "Bea Buyer")
    page.fill("#b-email", "bea@example.com")
    page.fill("#b-line1", "1 Main St")
    page.fill("#b-city", city)
    page.select_option("#b-state", state)
    page.wait_for_selector("#quote >> text=Shipping:")


def sunny_threads():
    """The walks' shop: Sunny Threads (/store/sunny/) with a shipping template, owned by Sam.
    Returns (shop, Sam)."""
    from tests.factories import MembershipFactory, ShopFactory, UserFactory
    from tests.orders.conftest import make_template

    shop = ShopFactory(name="Sunny Threads", slug="sunny")
    owner = MembershipFactory(shop=shop, role="owner", user=UserFactory(email="sam@seller.test"))
    make_template(shop)
    return shop, owner.user

"""A new seller signs up, confirms the email, turns on two-step verification with an
authenticator app, signs out, and signs back in with password + code."""

import base64
import re

import pytest
from django.core import mail

from accounts.models import AuthenticatorDevice
from tests.browser.conftest import screenshot, sign_in
from tests.factories import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "nova@newseller.test"
PASSWORD = "Nova-sells-candles-26"


def test_new_seller_signs_up_enrols_totp_and_signs_in_with_it(page):
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/confirm-email/")

    link = re.search(r"http://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    page.goto(link.group(1))
    page.click("button[type=submit]")
    page.wait_for_url("**/shops/")  # confirming the address signs the new account in
    page.goto("/account/security/")
    screenshot(page, "twofactor-security-off")
    page.click("text=Turn on two-step verification")
    page.wait_for_url("**/account/security/authenticator/")
    assert (
        page.locator("img[alt^='QR code']")
        .get_attribute("src")
        .startswith("data:image/svg+xml;base64,")
    )
    screenshot(page, "twofactor-enrol")
    # The "app": read the key the page shows for manual entry and compute its codes.
    manual = page.get_by_test_id("manual-key").inner_text().replace(" ", "")
    key = base64.b32decode(manual + "=" * (-len(manual) % 8))
    page.fill("input[name=code]", totp_code(key))
    page.click("button:has-text('Turn on')")
    page.wait_for_url("**/account/security/backup-codes/")
    codes = page.get_by_test_id("backup-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "twofactor-backup-codes")
    page.click("text=I have saved them")
    page.wait_for_url("**/account/security/")
    assert "9 of 10 left" not in page.content() and "10 of 10 left" in page.content()
    assert AuthenticatorDevice.objects.get(user__email=EMAIL).confirmed
    screenshot(page, "twofactor-security-on")
    page.click("nav.account-nav >> text=Account type")
    page.wait_for_url("**/account/type/")
    page.check("input[name=account_type][value=creator]")
    page.click("button:has-text('Switch account type')")
    page.wait_for_url("**/account/type/")
    assert page.locator(".account-type.current").inner_text().startswith("Creator")
    screenshot(page, "twofactor-account-type")

    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/accounts/login/")

    screenshot(page, "twofactor-login")
    sign_in(page, EMAIL, PASSWORD)
    page.wait_for_url("**/account/second-factor/")
    screenshot(page, "twofactor-second-factor")
    # Nothing of the seller area is reachable before the code: back to this step.
    response = page.goto("/shops/")
    assert response.url.endswith("/account/second-factor/")
    page.fill("input[name=code]", totp_code(key, steps_ahead=1))
    page.click("button:has-text('Verify')")
    page.wait_for_url("**/shops/")
    assert "Your shops" in page.content()


def test_a_used_backup_code_is_refused_in_the_browser(page, password):
    from tests.factories import MembershipFactory, UserFactory, enable_two_factor

    user = MembershipFactory(user=UserFactory(email="bea@seller.test")).user
    _, codes = enable_two_factor(user)
    sign_in(page, user.email, password)
    page.wait_for_url("**/account/second-factor/")
    page.check("input[name=method][value=backup]")
    page.fill("input[name=code]", codes[0])
    page.click("button:has-text('Verify')")
    page.wait_for_url("**/shops/**")
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/accounts/login/")

    sign_in(page, user.email, password)
    page.wait_for_url("**/account/second-factor/")
    page.check("input[name=method][value=backup]")
    page.fill("input[name=code]", codes[0])
    page.click("button:has-text('Verify')")
    assert "That code is not right" in page.content()
    assert "/account/second-factor/" in page.url


def test_the_tiktok_button_appears_when_tiktok_is_configured(page, settings):
    page.goto("/accounts/login/")
    assert page.locator("text=Log in with TikTok").count() == 0
    settings.SOCIALACCOUNT_PROVIDERS = {
        "tiktok": {
            **settings.SOCIALACCOUNT_PROVIDERS["tiktok"],
            "APPS": [{"client_id": "demo-key", "secret": "demo-secret", "key": ""}],
        }
    }
    page.goto("/accounts/login/")
    assert page.locator("a:has-text('Log in with TikTok')").is_visible()

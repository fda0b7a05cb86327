"""Small things a new user notices the first day: branded account emails, confirming an email
signs you in, a favicon, no inline styles the CSP blocks, the admin's plural names, bulk actions
counted in products."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope

from accounts.models import BackupCodeDevice, User
from catalog.services.bulk import product_bulk_action
from tests.factories import ProductFactory, SKUFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_up(client, django_capture_on_commit_callbacks):
    """A new account signed up in ``client``'s browser session; its confirmation email sent."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "nina@example.com", "password1": "a-Very-good-pass-42",
             "password2": "a-Very-good-pass-42"},
        )  # fmt: skip
    return mail.outbox[-1]


def test_account_emails_carry_the_product_name_not_the_host(signed_up):
    assert "Hello from Seller Center!" in signed_up.body
    assert "Hello from testserver" not in signed_up.body
    assert signed_up.subject.startswith("[Seller Center] ")


def test_confirming_the_email_signs_the_new_account_in(client, signed_up):
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", signed_up.body)
    response = client.post(link.group(1))
    assert response.status_code == 302
    user = User.objects.get(email="nina@example.com")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(reverse("shop_picker")).status_code == 200  # signed in: "No shop yet"


def test_a_favicon_is_linked_and_served(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "account_reset_password"])
def test_sign_in_pages_have_no_inline_style_the_csp_would_block(client, url_name):
    html = client.get(reverse(url_name)).content.decode()
    assert "style=" not in html and "<style" not in html


def test_the_admin_says_backup_codes_once():
    assert BackupCodeDevice._meta.verbose_name_plural == "backup codes"


def test_bulk_stock_and_price_report_products_not_variants(shop, owner):
    with scope(shop=shop):
        products = [ProductFactory(shop=shop) for _ in range(2)]
        for product in products:
            for _ in range(3):
                SKUFactory(product=product, price=Decimal("10.00"))
        ids = [p.pk for p in products]
        stock = product_bulk_action(shop=shop, actor=owner, action="set_stock", product_ids=ids,
                                    value="7")  # fmt: skip
        price = product_bulk_action(shop=shop, actor=owner, action="set_price", product_ids=ids,
                                    value="12.50")  # fmt: skip
    assert (stock.done, stock.skipped) == (2, 0)
    assert stock.summary() == "Set stock: 2 products done."
    assert price.summary() == "Set price: 2 products done."

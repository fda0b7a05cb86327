import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_needs_the_emailed_link_before_signing_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "New.Seller@Example.com",
                "password1": "a-Very-good-pass-42",
                "password2": "a-Very-good-pass-42",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.seller@example.com")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.seller@example.com"]
    # Before confirming, signing in only says "check your email".
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": "a-Very-good-pass-42"}
        )
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    link = re.search(
        r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body
    ).group(1)
    assert client.post(link).status_code == 302
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "a-Very-good-pass-42"}
    )
    assert response["Location"] == reverse("shop_picker")


def test_a_seller_with_one_shop_lands_on_its_home(client, shop, owner, password):
    response = client.post(
        reverse("account_login"), {"login": owner.email, "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home", kwargs={"shop_slug": shop.slug})
    assert shop.name in response.content.decode()


def test_wrong_password_and_unknown_account_get_the_same_message(client, owner):
    wrong = client.post(
        reverse("account_login"), {"login": owner.email, "password": "nope-nope-nope"}
    ).content.decode()
    unknown = client.post(
        reverse("account_login"), {"login": "nobody@example.com", "password": "nope-nope-nope"}
    ).content.decode()
    message = "The email address and/or password you specified are not correct."
    assert message in wrong and message in unknown


def test_password_reset_sends_a_link_without_revealing_whether_the_account_exists(
    client, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": owner.email})
        client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    to_owner = [m for m in mail.outbox if m.to == [owner.email]]
    assert len(to_owner) == 1 and "/accounts/password/reset/key/" in to_owner[0].body


def test_repeated_failed_sign_ins_are_throttled(client):
    user = UserFactory()
    MembershipFactory(user=user)
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password-1"})
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-Horse-battery-9"}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session

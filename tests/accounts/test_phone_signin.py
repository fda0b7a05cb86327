"""Sign-in by phone number (E.164), where the user has one."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory, enable_two_factor

pytestmark = pytest.mark.django_db

PHONE = "+14155550100"


def sign_in(client, login, password):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_a_user_with_a_phone_signs_in_with_it(client, password):
    user = UserFactory(phone=PHONE)
    response = sign_in(client, PHONE, password)
    assert response.status_code == 302 and response["Location"] == reverse("shop_picker")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_phone_sign_in_still_asks_for_the_second_factor(client, password):
    user = UserFactory(phone=PHONE)
    enable_two_factor(user)
    response = sign_in(client, PHONE, password)
    assert response["Location"] == reverse("account_second_factor")
    assert "_auth_user_id" not in client.session


def test_wrong_password_and_unknown_phone_read_the_same(client):
    UserFactory(phone=PHONE)
    wrong = sign_in(client, PHONE, "wrong-password-1").content.decode()
    unknown = sign_in(client, "+14155550199", "wrong-password-1").content.decode()
    assert "_auth_user_id" not in client.session
    marker = "are not correct"
    assert marker in wrong and marker in unknown


def test_failed_phone_and_email_attempts_count_against_the_same_account(client, password):
    user = UserFactory(phone=PHONE)
    for login in [PHONE, user.email, PHONE, user.email, PHONE]:
        sign_in(client, login, "wrong-password-1")
    response = sign_in(client, PHONE, password)
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session

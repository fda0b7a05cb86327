"""Passwords are hashed with Argon2id at the measured settings (accounts.hashers); an older hash
(PBKDF2, or Argon2 with other settings) is re-hashed at the next successful sign-in."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OURS = "accounts.hashers.SellerCenterArgon2PasswordHasher"
DEPLOYED = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]  # what runs outside tests
PASSWORD = "a-Very-good-pass-42"


def test_argon2_at_the_measured_settings_comes_first_outside_tests():
    assert DEPLOYED[0] == OURS
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in DEPLOYED  # older hashes still read


@pytest.mark.parametrize(
    "old_hash",
    [
        lambda: make_password(PASSWORD, hasher="pbkdf2_sha256"),
        lambda: Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt()),
    ],
    ids=["pbkdf2", "argon2-django-defaults"],
)
def test_an_old_hash_is_upgraded_at_the_next_sign_in(client, old_hash):
    with override_settings(PASSWORD_HASHERS=DEPLOYED):
        user = UserFactory(email="old@example.com")
        User.objects.filter(pk=user.pk).update(password=old_hash())
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
        assert user.check_password(PASSWORD)


def test_a_wrong_password_upgrades_nothing(client):
    with override_settings(PASSWORD_HASHERS=DEPLOYED):
        user = UserFactory(email="old@example.com")
        old = make_password(PASSWORD, hasher="pbkdf2_sha256")
        User.objects.filter(pk=user.pk).update(password=old)
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-Pass-1234"})
        user.refresh_from_db()
        assert user.password == old

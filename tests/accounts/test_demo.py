import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp

from accounts.demo import demo_totp_key, enrol_demo_second_factor
from accounts.models import AuthenticatorDevice
from sellercenter.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_seeded_demo_users_sign_in_with_the_documented_demo_code(client, capsys):
    call_command("seed_demo")
    # One authenticator per demo user (including the three staff-console users).
    assert AuthenticatorDevice.objects.filter(user__email__endswith="@demo.test").count() == 9
    capsys.readouterr()
    call_command("demo_totp")
    code = capsys.readouterr().out.strip()
    assert code == f"{totp(demo_totp_key()):06d}"

    response = client.post(
        reverse("account_login"), {"login": "seller@demo.test", "password": DEMO_PASSWORD}
    )
    assert response["Location"] == reverse("account_second_factor")
    client.post(reverse("account_second_factor"), {"method": "app", "code": code})
    assert "_auth_user_id" in client.session
    call_command("seed_demo")  # idempotent: still one authenticator each
    assert AuthenticatorDevice.objects.filter(user__email="seller@demo.test").count() == 1


def test_the_production_profile_refuses_demo_second_factors(owner):
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management.base import CommandError

    with override_settings(PRODUCTION=True):
        with pytest.raises(ImproperlyConfigured):
            enrol_demo_second_factor(owner)
        with pytest.raises(CommandError):
            call_command("demo_totp")
    assert not AuthenticatorDevice.objects.filter(user=owner).exists()

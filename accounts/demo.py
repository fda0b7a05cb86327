"""Demo-only second factors for the seeded users (never on the production profile).

Every demo user gets the same documented authenticator secret, so anyone trying the demo can
add it to an authenticator app (or run ``manage.py demo_totp``) and sign in with a code.
"""

import base64

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from accounts.models import AuthenticatorDevice, EmailCodeDevice, User

# Documented in the README. A demo secret is public by definition: never in production.
DEMO_TOTP_SECRET = "SELLERCENTERDEMOTOTPSECRETKEY234"


def demo_totp_key() -> bytes:
    return base64.b32decode(DEMO_TOTP_SECRET)


def enrol_demo_second_factor(user: User) -> bool:
    """Give ``user`` the demo authenticator (idempotent). Returns True if it was added."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo second factors are refused on the production profile.")
    if AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists():
        return False
    device = AuthenticatorDevice(user=user, name="Demo authenticator", confirmed=True)
    device.set_key(demo_totp_key())
    device.save()
    EmailCodeDevice.objects.get_or_create(user=user, defaults={"name": "Email code"})
    return True

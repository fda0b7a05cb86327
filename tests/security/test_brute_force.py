"""Brute force against the real sign-in views: the limits hold, with only allauth's slack.

Seller sign-in (allauth, ``ACCOUNT_RATE_LIMITS["login_failed"]`` = 10/m per IP and 5/5m per
account) and the staff console (OTPAdminSite, same budget): 50 wrong passwords one after
another, from 8 threads at once, and with a different forged X-Forwarded-For on each. At most the
account budget is ever checked against the password — allauth takes a cache lock per key, so its
only documented slack is attempts already in flight when the budget runs out, bounded here by
the number of threads — and the right password is refused afterwards. Then 1,000 wrong second-
factor codes across every method lock two-step sign-in after SECOND_FACTOR_LOCK_AFTER_FAILURES,
email the owner once, and the right code is refused.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import AuthenticatorDevice, SecondFactorGuard
from common.policy import POLICY, policy_override
from tests.factories import MembershipFactory, UserFactory, enable_two_factor, totp_code

ATTEMPTS = 50
THREADS = 8
ACCOUNT_BUDGET = 5  # "5/5m/key" in ACCOUNT_RATE_LIMITS["login_failed"]
REFUSED = "Too many failed login attempts"


def test_the_configured_budget_is_the_one_tested():
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0


def seller_attempt(i: int, email: str, password: str, *, rotate: bool) -> bool:
    """One sign-in from a fresh browser; True when the password was actually checked."""
    client = Client()
    headers = {"x-forwarded-for": f"203.0.113.{i % 250}, 198.51.100.{i % 250}"} if rotate else {}
    response = client.post(
        reverse("account_login"), {"login": email, "password": password}, headers=headers
    )
    assert response.status_code in (200, 429), response.status_code
    assert "_auth_user_id" not in client.session
    return response.status_code == 200 and REFUSED not in response.content.decode()


def admin_attempt(i: int, email: str, password: str, *, rotate: bool) -> bool:
    client = Client()
    headers = {"x-forwarded-for": f"203.0.113.{i % 250}"} if rotate else {}
    response = client.post(
        reverse("admin:login"),
        {"username": email, "password": password, "otp_token": "", "next": "/admin/"},
        headers=headers,
    )
    assert response.status_code in (200, 429), response.status_code
    assert "_auth_user_id" not in client.session
    return response.status_code == 200


def run(attempt, email, *, parallel: bool, rotate: bool) -> int:
    calls = [(i, email, f"wrong-password-{i}") for i in range(ATTEMPTS)]
    if parallel:
        with ThreadPoolExecutor(THREADS) as pool:
            checked = list(pool.map(lambda c: attempt(*c, rotate=rotate), calls))
    else:
        checked = [attempt(*c, rotate=rotate) for c in calls]
    return sum(checked)


@pytest.fixture
def seller(transactional_db):
    user = UserFactory(email="target@alpha.test")
    MembershipFactory(user=user)
    return user


@pytest.fixture
def staff(transactional_db):
    return UserFactory(email="ops@platform.test", is_staff=True, is_superuser=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("parallel", "rotate"), [(False, False), (True, False), (False, True), (True, True)]
)
@pytest.mark.parametrize("door", ["seller", "admin"])
def test_fifty_wrong_passwords_stay_within_the_budget(
    door, parallel, rotate, seller, staff, password
):
    if parallel and not settings.IS_POSTGRES:
        pytest.skip("threads need PostgreSQL: SQLite serialises writers and would fail on locks")
    user, attempt = (seller, seller_attempt) if door == "seller" else (staff, admin_attempt)
    checked = run(attempt, user.email, parallel=parallel, rotate=rotate)
    slack = THREADS - 1 if parallel else 0
    assert 1 <= checked <= ACCOUNT_BUDGET + slack, f"{checked} passwords checked"
    # The budget is spent: the right password is refused too, and no session opens.
    assert not attempt(ATTEMPTS, user.email, password, rotate=rotate)


@pytest.mark.django_db
@policy_override(second_factor_throttle_factor=0)
def test_a_thousand_wrong_second_factor_codes_lock_the_account_and_email_the_owner(
    client, owner, password, django_capture_on_commit_callbacks
):
    """Worst case: django-otp's back-off disabled, so only the hard lock stands."""
    key, codes = enable_two_factor(owner)
    response = client.post(reverse("account_login"), {"login": owner.email, "password": password})
    assert response["Location"] == reverse("account_second_factor")
    mail.outbox.clear()
    url = reverse("account_second_factor")
    methods = ["app", "backup", "email"]
    right = totp_code(key)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(1000):
            code = f"{(int(right) + 1 + i) % 1_000_000:06d}"  # never the right one
            method = methods[i % 3]
            if method == "backup":
                code = f"WRONG{i:05d}"
            response = client.post(url, {"method": method, "code": code})
            assert response.status_code in (200, 429)
            assert "_auth_user_id" not in client.session
    guard = SecondFactorGuard.objects.get(user=owner)
    assert guard.locked_at is not None
    limit = POLICY.second_factor_lock_after_failures
    assert guard.consecutive_failures <= limit + 1  # attempts after the lock are not counted
    to_owner = [m for m in mail.outbox if m.to == [owner.email] and "locked" in m.subject]
    assert len(to_owner) == 1, [m.subject for m in mail.outbox]
    # The right codes are refused now.
    AuthenticatorDevice.objects.filter(user=owner).update(throttling_failure_count=0)
    for method, code in (("app", right), ("app", totp_code(key, steps_ahead=1))):
        response = client.post(url, {"method": method, "code": code})
        assert "locked after too many wrong codes" in response.content.decode()
    response = client.post(url, {"method": "backup", "code": codes[0]})
    assert "locked after too many wrong codes" in response.content.decode()
    assert "_auth_user_id" not in client.session

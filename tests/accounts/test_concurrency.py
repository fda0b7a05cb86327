"""Each code works once, also under concurrency (PostgreSQL: real row locks, real threads).

django-otp's stock verification reads, compares and saves without a lock: 20 simultaneous
submissions of one code could all pass. Ours locks the device row, so exactly one does.
"""

import pytest

from accounts.models import AuthenticatorDevice, BackupCodeDevice, SecondFactorGuard
from tests.concurrency import at_once
from tests.factories import UserFactory, enable_two_factor, totp_code

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 20


def submit_concurrently(device_model, user, code) -> list[bool]:
    # The failure counter row exists already (as after any earlier sign-in), so nothing but
    # the row locks can serialise the submissions.
    SecondFactorGuard.objects.get_or_create(user=user)
    # Every submission holds its own copy of the device, read before any of them verifies.
    devices = [device_model.objects.get(user=user) for _ in range(ATTEMPTS)]
    results = at_once(lambda device: device.verify_token(code), devices)
    assert len(results) == ATTEMPTS
    return results


def test_one_totp_code_sent_twenty_times_at_once_succeeds_once():
    user = UserFactory()
    key, _ = enable_two_factor(user)
    results = submit_concurrently(AuthenticatorDevice, user, totp_code(key))
    assert results.count(True) == 1


def test_one_backup_code_sent_twenty_times_at_once_succeeds_once():
    user = UserFactory()
    _, codes = enable_two_factor(user)
    results = submit_concurrently(BackupCodeDevice, user, codes[0])
    assert results.count(True) == 1
    assert BackupCodeDevice.objects.get(user=user).remaining() == 9

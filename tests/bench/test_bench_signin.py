"""make bench measures the sign-in password step and the hasher's share of it."""

import pytest

from bench.signin import bench_signin
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_sign_in_measurement_signs_in_and_reports_the_hasher(password):
    user = UserFactory(email="bench@bench.test")
    lines = []
    row = bench_signin(user.email, password, lines.append, runs=2)
    assert row["hasher"] == "md5"  # the test profile's fast hasher comes first
    assert {"step_ms", "verify_ms", "pbkdf2_verify_ms"} <= set(row)
    assert "sign-in password step" in lines[0]

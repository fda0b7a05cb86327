"""The typed policy: SPEC defaults, only the operator-tunable values from the environment, and
one-line overrides that every reader sees."""

from datetime import timedelta
from decimal import Decimal

import pytest

from common.policy import POLICY, Policy, from_environment, policy_override


def test_spec_defaults_are_typed():
    policy = Policy()
    assert policy.return_window_days == 30 and policy.inactivity_ban_days == 97
    assert policy.eligibility_min_sps == Decimal("4.0")
    assert policy.reauth_window == timedelta(minutes=10)


def test_an_operator_tunes_the_reauthentication_window_and_nothing_else():
    policy = from_environment({"REAUTH_MINUTES": "3", "RETURN_WINDOW_DAYS": "5"})
    assert policy.reauth_window == timedelta(minutes=3)
    assert policy.return_window_days == 30


def test_an_override_lasts_for_its_block_only():
    with policy_override(return_window_days=5):
        assert POLICY.return_window_days == 5
    assert POLICY.return_window_days == 30


def test_an_override_of_an_unknown_name_is_refused():
    with pytest.raises(TypeError, match="Not a policy value: return_window"):
        with policy_override(return_window=5):
            pass


def test_the_policy_cannot_be_changed_by_accident():
    with pytest.raises(AttributeError):
        POLICY.return_window_days = 5

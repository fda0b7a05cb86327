"""SPEC §2 onboarding eligibility and input rules, each at its boundary."""

from datetime import date

import pytest

from shops.models import SellerProfile, Shop
from shops.onboarding.rules import (
    age_on,
    names_match,
    normalise_name,
    onboarding_eligibility,
    routing_number_valid,
)

TODAY = date(2026, 6, 15)


def failures(seller_type="individual", **profile):
    shop = Shop(seller_type=seller_type)
    profile.setdefault("tiktok_followers", 5000)
    return {
        f.rule: f
        for f in onboarding_eligibility(shop=shop, profile=SellerProfile(**profile), today=TODAY)
    }


def test_seventeen_years_364_days_is_refused_and_says_what_to_do():
    found = failures(date_of_birth=date(2008, 6, 16))  # 18th birthday is tomorrow
    assert "age" in found
    assert "at least 18" in found["age"].message
    assert "parent or guardian" in found["age"].fix


def test_eighteen_today_is_accepted():
    assert "age" not in failures(date_of_birth=date(2008, 6, 15))


@pytest.mark.parametrize(
    "today, expected",
    [(date(2026, 2, 28), 17), (date(2026, 3, 1), 18), (date(2028, 2, 29), 20)],
)
def test_leap_day_birthday_turns_a_year_older_on_1_march_in_common_years(today, expected):
    assert age_on(date(2008, 2, 29), today) == expected


def test_missing_date_of_birth_fails_the_age_rule():
    assert "age" in failures(date_of_birth=None)


def test_business_must_be_registered_in_the_us():
    assert "business_region" in failures("business", registration_country="CA")
    assert "business_region" not in failures("business", registration_country="US")
    assert "age" not in failures("business", registration_country="US")


@pytest.mark.parametrize("followers, fails", [(999, True), (1000, False), (None, True)])
def test_tiktok_needs_1000_followers(followers, fails):
    found = failures(date_of_birth=date(1990, 1, 1), tiktok_followers=followers)
    assert ("tiktok_followers" in found) is fails
    if followers == 999:
        assert "(it has 999)" in found["tiktok_followers"].message


@pytest.mark.parametrize(
    "a, b",
    [
        ("José Álvarez-Núñez", "jose alvarez nunez"),
        ("  SAM   O'Neil ", "Sam ONeil"),
        ("Mary-Jane Smith", "MARY JANE SMITH"),
        ("Acme, Inc.", "ACME INC"),
    ],
)
def test_names_match_ignoring_case_accents_punctuation_and_spacing(a, b):
    assert names_match(a, b)


def test_different_names_do_not_match():
    assert not names_match("Sam Seller", "Sam Sellers")
    assert not names_match("", "")
    assert normalise_name("Zoë  Smith") == "zoe smith"


@pytest.mark.parametrize(
    "number, valid",
    [
        ("011000015", True),
        ("021000021", True),
        ("011000016", False),  # check digit off by one
        ("12345678", False),
        ("0110000150", False),
        ("01100001a", False),
    ],
)
def test_aba_routing_number_checksum(number, valid):
    assert routing_number_valid(number) is valid

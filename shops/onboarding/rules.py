"""Onboarding rules (SPEC §2): age, US registration, TikTok followers, names, routing numbers.

Pure functions of their inputs, so each rule is tested at its boundary without a database.
"""

import re
import string
import unicodedata
from dataclasses import dataclass
from datetime import date

from common.policy import POLICY
from shops.models import SellerProfile, Shop


@dataclass(frozen=True)
class RuleFailure:
    rule: str
    message: str  # which rule failed
    fix: str  # what to do about it


def age_on(born: date, today: date) -> int:
    """Whole years. Someone born on 29 February turns a year older on 1 March in common years."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def onboarding_eligibility(*, shop: Shop, profile: SellerProfile, today: date) -> list[RuleFailure]:
    """The eligibility rules a submission must pass; an empty list means eligible."""
    failures = []
    if shop.seller_type == Shop.SellerType.INDIVIDUAL:
        minimum = POLICY.min_seller_age_years
        if profile.date_of_birth is None or age_on(profile.date_of_birth, today) < minimum:
            failures.append(
                RuleFailure(
                    "age",
                    f"Individual sellers must be at least {minimum} years old.",
                    "Check the date of birth in Business details. If you are under "
                    f"{minimum}, a parent or guardian can register as the seller.",
                )
            )
    else:
        if profile.registration_country != POLICY.region:
            failures.append(
                RuleFailure(
                    "business_region",
                    "The business must be registered in the United States.",
                    "Enter the US registration of your business in Business details; "
                    "businesses registered elsewhere cannot sell in the US store yet.",
                )
            )
    minimum_followers = POLICY.min_tiktok_followers
    if profile.tiktok_followers is None or profile.tiktok_followers < minimum_followers:
        failures.append(
            RuleFailure(
                "tiktok_followers",
                f"The linked TikTok account needs at least {minimum_followers:,} followers"
                + (
                    f" (it has {profile.tiktok_followers:,})."
                    if profile.tiktok_followers is not None
                    else "."
                ),
                "Link a TikTok account with enough followers, or come back and check again "
                "once your account has grown.",
            )
        )
    return failures


_DROPPED = re.compile(r"['’.]")
_PUNCTUATION = re.compile(f"[{re.escape(string.punctuation)}‘’“”«»–—·]")


def normalise_name(name: str) -> str:
    """Case, accents, punctuation and spacing do not make two names different."""
    decomposed = unicodedata.normalize("NFKD", name)
    no_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    # "O'Neil" is "ONeil" at most banks; "Smith-Jones" is "Smith Jones".
    no_punctuation = _PUNCTUATION.sub(" ", _DROPPED.sub("", no_accents.casefold()))
    return " ".join(no_punctuation.split())


def names_match(a: str, b: str) -> bool:
    return bool(normalise_name(a)) and normalise_name(a) == normalise_name(b)


def routing_number_valid(number: str) -> bool:
    """ABA routing number: nine digits whose 3-7-1 weighted sum is a multiple of 10."""
    if not re.fullmatch(r"\d{9}", number):
        return False
    d = [int(c) for c in number]
    total = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])
    return total % 10 == 0

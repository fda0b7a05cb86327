"""Auth gates over every non-public URL, in every half-signed-in or refused state.

Anonymous visitors are covered by test_gates.py; the two "password only" states for seller URLs
by tests/accounts/test_twofactor.py. Here every non-public URL (seller pages, account security
pages, the review queue, shop set-up, the shop picker) is requested by GET and POST, with and
without HX-Request, as: a password-only sign-in (second factor pending), an unverified email, a
deactivated user (live session and fresh sign-in), a member of a banned shop, and a
verification reviewer on seller routes. 0 pages (200) served.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from shops.models import Shop
from shops.review.access import REVIEWER_GROUP
from tests.factories import MembershipFactory, UserFactory, enable_two_factor, sign_in_verified
from tests.security.urlwalk import PUBLIC_PREFIXES
from tests.security.worlds import urls_for

pytestmark = pytest.mark.django_db

SELLER_PREFIX = "/shops/"


# The sign-in flow's own steps: the second-factor form and the way back in (password + code).
SIGN_IN_STEPS = ("/account/second-factor/", "/account/reauthenticate/")


def non_public(url):
    return not (url.startswith(PUBLIC_PREFIXES + SIGN_IN_STEPS + ("/media/",)) or url == "/")


def served_pages(client, shop, *, only=lambda url: True):
    """Every URL for which ``only`` holds, GET and POST, with and without HX-Request: the
    requests answered 200 (a page served)."""
    served, count = [], 0
    for name, url in urls_for(shop):
        if not non_public(url) or not only(url):
            continue
        for method in ("get", "post"):
            for headers in ({}, {"HX-Request": "true"}):
                response = getattr(client, method)(url, headers=headers)
                count += 1
                if response.status_code == 200:
                    served.append(f"{method.upper()} {url} {headers or ''} ({name})")
    assert count > 100
    return served


def sign_in(client, user, password):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def test_password_only_sign_in_serves_no_page(client, canary_world, owner, password):
    enable_two_factor(owner)
    response = sign_in(client, owner, password)
    assert response["Location"] == reverse("account_second_factor")
    assert served_pages(client, canary_world) == []


def test_a_session_that_never_proved_its_second_factor_gets_no_seller_or_review_page(
    client, canary_world, owner
):
    enable_two_factor(owner)
    owner.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    client.force_login(owner)  # signed in by password before enrolling elsewhere
    only = lambda url: url.startswith((SELLER_PREFIX, "/review/"))  # noqa: E731
    assert served_pages(client, canary_world, only=only) == []


def test_an_unverified_email_signs_in_to_nothing(client, canary_world, password):
    user = UserFactory(email="new@alpha.test", verified_email=False)
    MembershipFactory(shop=canary_world, user=user, role="owner")
    sign_in(client, user, password)
    assert "_auth_user_id" not in client.session
    assert served_pages(client, canary_world) == []


def test_a_deactivated_user_is_signed_out_everywhere(client, canary_world, owner, password):
    client.force_login(owner)
    assert client.get(reverse("home", kwargs={"shop_slug": canary_world.slug})).status_code == 200
    type(owner).objects.filter(pk=owner.pk).update(is_active=False)
    assert served_pages(client, canary_world) == []  # the live session stops working
    client.logout()
    sign_in(client, owner, password)
    assert "_auth_user_id" not in client.session
    assert served_pages(client, canary_world) == []


def test_a_member_of_a_banned_shop_is_served_no_seller_page(client, canary_world, owner):
    Shop.objects.filter(pk=canary_world.pk).update(status=Shop.Status.BANNED)
    sign_in_verified(client, owner)
    before = served_pages(client, canary_world, only=lambda url: url.startswith(SELLER_PREFIX))
    assert before == []


def test_a_reviewer_gets_no_seller_page(client, canary_world):
    reviewer = UserFactory(email="rita@review.test")
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    sign_in_verified(client, reviewer)
    assert client.get(reverse("review:queue")).status_code == 200  # the reviewer's own page
    mine = f"{SELLER_PREFIX}{canary_world.slug}/"
    served = served_pages(client, canary_world, only=lambda url: url.startswith(mine))
    assert served == []

"""Home's to-do list asks the owner to replace a verified document about to expire (SPEC §2,
§8): from the first expiry notice (POLICY.document_expiry_notice_days) until a new one is
uploaded, ordered with the other deadlines."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from common.clock import local_date
from common.policy import POLICY
from sellercenter.dashboard import home_todos
from tests.factories import MembershipFactory, OrderFactory, VerificationDocumentFactory

pytestmark = pytest.mark.django_db
NOTICE_DAYS = max(POLICY.document_expiry_notice_days)


def document(shop, days_left, **kwargs):
    return VerificationDocumentFactory(
        shop=shop,
        status=kwargs.pop("status", "verified"),
        expires_on=local_date() + timedelta(days=days_left),
        **kwargs,
    )


def todo_labels(shop):
    with scope(shop=shop):
        return [t.label for t in home_todos(shop=shop)]


def test_listed_from_the_first_notice_day_not_before(shop, django_capture_on_commit_callbacks):
    with scope(shop=shop):
        document(shop, NOTICE_DAYS + 1, doc_type="drivers_license")
    assert todo_labels(shop) == []
    # Home's list is a cached figure: the upload's commit makes the next Home read it anew.
    with scope(shop=shop), django_capture_on_commit_callbacks(execute=True):
        document(shop, NOTICE_DAYS, doc_type="us_passport")
    assert todo_labels(shop) == ["Upload a new US passport"]


def test_documents_not_verified_are_not_listed(shop):
    with scope(shop=shop):
        document(shop, 3, status="submitted")
        document(shop, 3, status="rejected", doc_type="drivers_license")
    assert todo_labels(shop) == []


def test_a_replaced_document_is_not_listed_expired_or_not(shop):
    long_ago = timezone.now() - timedelta(days=400)
    with scope(shop=shop):
        document(shop, -1, status="expired", uploaded_at=long_ago)
        document(shop, 5, doc_type="drivers_license", uploaded_at=long_ago)
        # The replacements, uploaded today: one waiting for review, one already verified.
        document(shop, 365, status="uploaded")
        document(shop, 365, doc_type="drivers_license")
    assert todo_labels(shop) == []


def test_a_verified_document_past_its_date_is_overdue_until_replaced(shop):
    with scope(shop=shop):
        document(shop, -1)
        (todo,) = home_todos(shop=shop)
    assert todo.overdue


def test_ordered_with_the_other_deadlines(shop):
    now = timezone.now()
    with scope(shop=shop):
        ship = OrderFactory(shop=shop, ship_by=now + timedelta(days=3))
        document(shop, 2)
        later = OrderFactory(shop=shop, ship_by=now + timedelta(days=4))
    assert todo_labels(shop) == [
        "Upload a new US passport",
        f"Ship order {ship.number}",
        f"Ship order {later.number}",
    ]


def test_home_shows_the_expiry_date_and_links_to_the_upload_page(client, owner, shop):
    with scope(shop=shop):
        passport = document(shop, 7)
    client.force_login(owner)
    page = client.get(reverse("home", kwargs={"shop_slug": shop.slug})).content.decode()
    assert "Upload a new US passport" in page
    assert f"expires on {passport.expires_on:%b %-d, %Y}" in page
    assert reverse("onboarding:documents", kwargs={"shop_slug": shop.slug}) in page


def test_only_the_owner_who_uploads_documents_is_asked(client, shop):
    with scope(shop=shop):
        document(shop, 7)
    client.force_login(MembershipFactory(shop=shop, role="manager").user)
    page = client.get(reverse("home", kwargs={"shop_slug": shop.slug})).content.decode()
    assert page.count("Upload a new US passport") == 0

"""The onboarding wizard (SPEC §2): start a shop, save and resume, progress, submit."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEvent
from shops.models import (
    Membership,
    SellerProfile,
    Shop,
    VerificationDecision,
    VerificationSubmission,
)
from shops.services import onboarding
from tests.factories import MembershipFactory, OrderFactory, ShopFactory, UserFactory
from tests.shops.helpers import onboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(client):
    user = UserFactory(email="new@seller.test")
    client.force_login(user)
    return user


@pytest.fixture
def pending(seller):
    return onboarding.shop_create(actor=seller, name="Sunny Threads")


def url(name, shop, **kw):
    return reverse(name, kwargs={"shop_slug": shop.slug, **kw})


def test_user_without_a_shop_sets_one_up_from_the_picker(client, seller):
    picker = client.get(reverse("shop_picker"))
    assert "Set up your shop" in picker.content.decode()
    response = client.post(reverse("shop_start"), {"name": "Sunny Threads"})
    shop = Shop.objects.get(name="Sunny Threads")
    assert response.status_code == 302
    assert response["Location"] == url("onboarding:seller_type", shop)
    assert shop.status == Shop.Status.PENDING_VERIFICATION
    assert not shop.on_probation
    assert Membership.objects.get(shop=shop).role == "owner"
    assert Membership.objects.get(shop=shop).user == seller


def test_shop_slugs_are_unique_and_never_shadow_top_level_paths(seller):
    first = onboarding.shop_create(actor=seller, name="Sunny Threads")
    second = onboarding.shop_create(actor=seller, name="Sunny Threads")
    assert first.slug == "sunny-threads" and second.slug != first.slug
    assert onboarding.shop_create(actor=seller, name="New").slug != "new"


def test_progress_lists_what_is_done_and_missing_and_resumes(client, seller, pending):
    client.post(url("onboarding:seller_type", pending), {"seller_type": "individual"})
    page = client.get(url("onboarding:progress", pending)).content.decode()
    assert "1 of 5 steps done" in page
    assert page.count("Missing") == 4
    # Resume: the saved answer is there on the next visit.
    details = client.get(url("onboarding:details", pending)).content.decode()
    assert 'name="date_of_birth"' in details and 'name="business_name"' not in details


def test_details_are_validated_field_by_field(client, seller, pending):
    client.post(url("onboarding:seller_type", pending), {"seller_type": "individual"})
    response = client.post(
        url("onboarding:details", pending),
        {"legal_name": "", "postcode": "9410", "contact_phone": "call me", "state": "ZZ"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"legal_name", "date_of_birth", "postcode", "contact_phone", "state", "city"} <= set(
        errors
    )
    with scope(shop=pending):
        assert SellerProfile.objects.get(shop=pending).details_completed_at is None


def test_business_details_need_the_registration(client, seller, pending):
    client.post(url("onboarding:seller_type", pending), {"seller_type": "business"})
    response = client.post(url("onboarding:details", pending), {"legal_name": "Sam"})
    assert {"business_name", "registration_number", "registration_country"} <= set(
        response.context["form"].errors
    )


def test_submit_refuses_until_every_step_is_done(seller, pending):
    with scope(shop=pending):
        onboarding.profile_set_seller_type(shop=pending, actor=seller, seller_type="individual")
        with pytest.raises(ValidationError, match="Business details"):
            onboarding.submission_submit(shop=pending, actor=seller)
        assert not VerificationSubmission.objects.exists()


def test_submit_refuses_an_ineligible_seller_and_says_why(client, seller, pending):
    with scope(shop=pending):
        onboard(pending, seller, submit=False, followers=999)
    page = client.get(url("onboarding:progress", pending)).content.decode()
    assert "needs at least 1,000 followers" in page
    response = client.post(url("onboarding:submit", pending), follow=True)
    assert "needs at least 1,000 followers" in response.content.decode()
    with scope(shop=pending):
        assert not VerificationSubmission.objects.exists()


def test_submit_underage_individual_is_refused(seller, pending):
    with scope(shop=pending):
        onboard(pending, seller, submit=False)
        today = timezone.localdate()
        profile = SellerProfile.objects.get(shop=pending)
        profile.date_of_birth = date(today.year - 18, today.month, today.day) + timedelta(days=1)
        profile.save()
        with pytest.raises(ValidationError, match="at least 18"):
            onboarding.submission_submit(shop=pending, actor=seller)


def test_a_complete_onboarding_is_submitted_once_and_locked_while_in_review(
    client, seller, pending
):
    with scope(shop=pending):
        onboard(pending, seller, submit=False)
    response = client.post(url("onboarding:submit", pending), follow=True)
    assert "Submitted" in response.content.decode()
    with scope(shop=pending):
        submission = VerificationSubmission.objects.get(shop=pending)
        assert submission.status == "pending"
        assert submission.snapshot["legal_name"] == "Sam Seller"
        assert submission.snapshot["bank_account_masked"] == "••••6789"
        assert "000123456789" not in str(submission.snapshot)
        assert [d.status for d in submission.documents.all()] == ["submitted"]
        assert VerificationDecision.objects.filter(action="submitted").count() == 1
        assert AuditEvent.objects.filter(action="verification.submitted").exists()
        # No second submission, no edits while a reviewer has it.
        with pytest.raises(ValidationError, match="already waiting"):
            onboarding.submission_submit(shop=pending, actor=seller)
    edit = client.post(url("onboarding:seller_type", pending), {"seller_type": "business"})
    assert edit.status_code == 400
    assert "with a reviewer" in edit.content.decode()
    with scope(shop=pending):
        assert Shop.objects.get(pk=pending.pk).seller_type == "individual"


def test_home_shows_the_onboarding_banner_only_while_pending(client, seller, pending):
    home = client.get(reverse("home", kwargs={"shop_slug": pending.slug})).content.decode()
    # Before any submission the getting-started checklist leads to verification (no banner too).
    assert 'data-step="verification"' in home
    assert url("onboarding:progress", pending) in home
    OrderFactory(shop=pending)  # past the checklist's first days: the banner says what is left
    home = client.get(reverse("home", kwargs={"shop_slug": pending.slug})).content.decode()
    assert "Finish setting up your shop" in home
    active = ShopFactory()
    MembershipFactory(shop=active, user=seller)
    home = client.get(reverse("home", kwargs={"shop_slug": active.slug})).content.decode()
    assert "onboarding-banner" not in home


def test_settings_links_to_verification_and_bank_account(client, seller, pending):
    page = client.get(url("shops:settings", pending)).content.decode()
    assert url("onboarding:progress", pending) in page
    assert url("shops:bank_account", pending) in page


def test_manager_sees_progress_but_cannot_change_onboarding(client, pending):
    manager = MembershipFactory(shop=pending, role="manager").user
    client.force_login(manager)
    assert client.get(url("onboarding:progress", pending)).status_code == 200
    assert (
        client.post(url("onboarding:seller_type", pending), {"seller_type": "business"}).status_code
        == 403
    )
    assert client.get(url("shops:bank_account", pending)).status_code == 403


def test_tiktok_link_reads_the_follower_count_from_the_adapter(client, seller, pending):
    response = client.post(url("onboarding:tiktok", pending), {"username": "@sunny_1000"})
    assert response.status_code == 302
    with scope(shop=pending):
        profile = SellerProfile.objects.get(shop=pending)
    assert (profile.tiktok_username, profile.tiktok_followers) == ("sunny_1000", 1000)
    missing = client.post(url("onboarding:tiktok", pending), {"username": "missing_account"})
    assert "No TikTok account named @missing_account" in missing.content.decode()


def test_tiktok_adapter_calls_a_configured_provider_over_http(settings, monkeypatch):
    from shops import tiktok

    settings.TIKTOK_API_BASE_URL = "https://provider.example"
    settings.TIKTOK_API_TOKEN = "t0k"
    calls = []

    class Answer:
        status_code = 200

        def json(self):
            return {"data": {"user": {"follower_count": 4321}}}

    def fake_get(self, url, params=None, headers=None, timeout=None):
        calls.append((url, params, headers))
        return Answer()

    monkeypatch.setattr("requests.Session.get", fake_get)
    assert tiktok.follower_count("@someone") == 4321
    assert calls == [
        (
            "https://provider.example/v2/user/info/",
            {"username": "someone", "fields": "username,follower_count"},
            {"Authorization": "Bearer t0k"},
        )
    ]

"""SPEC §2 bank account: matching holder name, routing checksum, encrypted, masked, emailed."""

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope

from accounts import crypto
from accounts.models import AuditEvent
from shops.models import BankAccount, SellerProfile, Shop
from tests.factories import MembershipFactory, sign_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, owner):
    """Bank details need two-step verification and a fresh re-authentication (SPEC §4)."""
    sign_in_verified(client, owner)
    return client


def test_an_owner_without_two_step_verification_is_sent_to_turn_it_on(client, owner, shop, profile):
    client.force_login(owner)
    response = post(client, shop)
    assert (
        response.status_code == 302 and "/account/security/authenticator/" in response["Location"]
    )
    assert not BankAccount.objects.exists()


def test_an_owner_without_a_recent_reauthentication_is_asked_for_it(client, owner, shop, profile):
    from accounts.reauth import SESSION_REAUTH_AT

    sign_in_verified(client, owner)
    session = client.session
    session[SESSION_REAUTH_AT] = 0
    session.save()
    response = post(client, shop)
    assert response.status_code == 302 and "/account/reauthenticate/" in response["Location"]
    assert not BankAccount.objects.exists()


@pytest.fixture
def profile(shop):
    return SellerProfile.objects.create(shop=shop, legal_name="José Álvarez")


def bank_url(shop):
    return reverse("shops:bank_account", kwargs={"shop_slug": shop.slug})


def post(client, shop, **overrides):
    data = {
        "holder_name": "jose alvarez",
        "routing_number": "011000015",
        "account_number": "000123456789",
        "kind": "checking",
    } | overrides
    return client.post(bank_url(shop), data)


def test_valid_account_is_stored_encrypted_and_shown_masked(
    owner_client, shop, profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post(owner_client, shop).status_code == 302
    with scope(shop=shop):
        account = BankAccount.objects.get(shop=shop)
        assert "000123456789" not in account.account_number_encrypted
        assert crypto.decrypt(account.account_number_encrypted) == "000123456789"
    page = owner_client.get(bank_url(shop)).content.decode()
    assert "••••6789" in page and "000123456789" not in page
    settings_page = owner_client.get(reverse("shops:settings", kwargs={"shop_slug": shop.slug}))
    assert "••••6789" in settings_page.content.decode()
    assert len(mail.outbox) == 1 and "added" in mail.outbox[0].subject
    with scope(shop=shop):
        audit = AuditEvent.objects.get(action="bank_account.added")
    assert "000123456789" not in str(audit.changes)


def test_changing_the_account_emails_the_owners_and_is_audited(
    owner_client, shop, owner, profile, django_capture_on_commit_callbacks
):
    post(owner_client, shop)
    with django_capture_on_commit_callbacks(execute=True):
        post(owner_client, shop, account_number="99887766")
    assert mail.outbox[-1].subject.startswith("Bank account changed")
    assert owner.email in mail.outbox[-1].to
    assert "••••7766" in mail.outbox[-1].body
    audit = AuditEvent.objects.get(action="bank_account.changed")
    assert audit.changes["account"] == ["••••6789", "••••7766"]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("holder_name", "Jose Alvarez Jr", "must be “José Álvarez”"),
        ("routing_number", "011000016", "not a valid US routing number"),
        ("account_number", "12ab", "4 to 17 digits"),
    ],
)
def test_bad_details_are_refused_field_by_field(owner_client, shop, profile, field, value, message):
    response = post(owner_client, shop, **{field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not BankAccount.objects.exists()


def test_business_holder_must_match_the_business_name(owner_client, shop, profile):
    with scope(shop=shop):
        Shop.objects.filter(pk=shop.pk).update(seller_type="business")
        SellerProfile.objects.filter(pk=profile.pk).update(business_name="Sunny Threads, LLC")
    assert post(owner_client, shop, holder_name="José Álvarez").status_code == 400
    assert post(owner_client, shop, holder_name="SUNNY THREADS LLC").status_code == 302


@pytest.mark.parametrize("role", ["manager", "staff"])
def test_only_the_owner_may_see_or_change_it(client, shop, profile, role):
    member = MembershipFactory(shop=shop, role=role).user
    client.force_login(member)
    assert client.get(bank_url(shop)).status_code == 403
    assert post(client, shop).status_code == 403
    assert not BankAccount.objects.exists()


def test_a_stale_reauthentication_is_asked_again_before_the_form(owner_client, shop, profile):
    from accounts.reauth import SESSION_REAUTH_AT

    session = owner_client.session
    del session[SESSION_REAUTH_AT]
    session.save()
    response = post(owner_client, shop)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauth") + "?next=")
    assert not BankAccount.objects.exists()

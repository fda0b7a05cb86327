"""SPEC §2 document expiry: notices 30 and 7 days ahead, once each; an expired licence → review."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope

from shops.models import DocumentExpiryNotice, Shop, ShopStatusChange, VerificationDocument
from shops.services.expiry import document_expiry_sweep
from shops.tasks import document_expiry_sweep_task
from tests.factories import MembershipFactory, VerificationDocumentFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def verified(shop, owner):
    return VerificationDocumentFactory(
        shop=shop, status="verified", expires_on=TODAY + timedelta(days=31)
    )


def run(day, capture):
    with capture(execute=True):
        return document_expiry_sweep(today=day)


def test_notices_at_30_and_7_days_each_sent_once(
    verified, owner, django_capture_on_commit_callbacks
):
    run(TODAY, django_capture_on_commit_callbacks)  # 31 days left: nothing yet
    assert mail.outbox == []
    day30 = TODAY + timedelta(days=1)
    run(day30, django_capture_on_commit_callbacks)
    run(day30, django_capture_on_commit_callbacks)  # a re-run sends nothing twice
    run(day30 + timedelta(days=1), django_capture_on_commit_callbacks)
    assert [m.subject for m in mail.outbox] == ["US passport expires in 30 days"]
    assert owner.email in mail.outbox[0].to
    day7 = verified.expires_on - timedelta(days=7)
    run(day7 - timedelta(days=1), django_capture_on_commit_callbacks)  # 8 days left
    assert len(mail.outbox) == 1
    run(day7, django_capture_on_commit_callbacks)
    run(day7, django_capture_on_commit_callbacks)
    assert [m.subject for m in mail.outbox][1:] == ["US passport expires in 7 days"]
    with scope(shop=verified.shop):
        assert DocumentExpiryNotice.objects.filter(document=verified).count() == 2


def test_a_missed_day_is_caught_up(verified, django_capture_on_commit_callbacks):
    # The sweep did not run on day 30; on day 29 the 30-day notice still goes out, once.
    run(verified.expires_on - timedelta(days=29), django_capture_on_commit_callbacks)
    assert [m.subject for m in mail.outbox] == ["US passport expires in 29 days"]


def test_unverified_documents_get_no_notice(shop, django_capture_on_commit_callbacks):
    VerificationDocumentFactory(shop=shop, status="uploaded", expires_on=TODAY + timedelta(days=7))
    run(TODAY, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_an_expired_business_licence_sends_the_shop_back_to_review(
    shop, owner, django_capture_on_commit_callbacks
):
    with scope(shop=shop):
        Shop.objects.filter(pk=shop.pk).update(seller_type="business")
        licence = VerificationDocumentFactory(
            shop=shop, doc_type="business_license", status="verified", expires_on=TODAY
        )
        run(TODAY, django_capture_on_commit_callbacks)  # valid through its expiry date
        shop.refresh_from_db()
        assert shop.status == Shop.Status.ACTIVE
        run(TODAY + timedelta(days=1), django_capture_on_commit_callbacks)
        shop.refresh_from_db()
        licence.refresh_from_db()
        assert shop.status == Shop.Status.PENDING_VERIFICATION
        assert licence.status == VerificationDocument.Status.EXPIRED
        assert ShopStatusChange.objects.get(shop=shop).reason == "Business licence expired"
        assert "back in review" in mail.outbox[-1].body
        run(TODAY + timedelta(days=2), django_capture_on_commit_callbacks)
        assert ShopStatusChange.objects.filter(shop=shop).count() == 1


def test_an_expired_passport_is_marked_but_the_shop_stays_active(
    shop, django_capture_on_commit_callbacks
):
    passport = VerificationDocumentFactory(shop=shop, status="verified", expires_on=TODAY)
    run(TODAY + timedelta(days=1), django_capture_on_commit_callbacks)
    passport.refresh_from_db()
    shop.refresh_from_db()
    assert passport.status == "expired" and shop.status == "active"


def test_the_beat_task_takes_a_date(verified, django_capture_on_commit_callbacks):
    MembershipFactory(shop=verified.shop)
    with django_capture_on_commit_callbacks(execute=True):
        document_expiry_sweep_task((verified.expires_on - timedelta(days=30)).isoformat())
    assert len(mail.outbox) == 1


def test_management_command_takes_a_date(verified, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    day = (verified.expires_on - timedelta(days=7)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_document_expiry", "--date", day, stdout=out)
    assert out.getvalue().startswith("1 notice(s)")
    assert mail.outbox[0].subject == "US passport expires in 7 days"


def test_documents_expiring_lists_verified_ones_due_within_the_window(shop, verified):
    from shops.selectors import documents_expiring

    with scope(shop=shop):
        VerificationDocumentFactory(
            shop=shop,
            status="uploaded",
            doc_type="drivers_license",
            expires_on=TODAY + timedelta(days=3),
        )
        assert documents_expiring(shop, today=TODAY) == []
        assert documents_expiring(shop, today=TODAY + timedelta(days=1)) == [verified]

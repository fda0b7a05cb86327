"""The verification queue (SPEC §2): reviewers only, oldest first with age, claim, decide."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEvent
from shops.models import (
    Shop,
    ShopProbation,
    ShopStatusChange,
    VerificationDecision,
    VerificationDocument,
    VerificationSubmission,
)
from shops.review.access import REVIEWER_GROUP
from shops.services import onboarding
from shops.services import verification as services
from tests.concurrency import at_once
from tests.factories import MembershipFactory, UserFactory
from tests.shops.helpers import onboard, upload_document

pytestmark = pytest.mark.django_db


def make_reviewer(email="rita@review.test"):
    user = UserFactory(email=email)
    user.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    return user


@pytest.fixture
def reviewer():
    return make_reviewer()


def submitted_shop(name="Sunny Threads", age=timedelta(0)):
    seller = UserFactory()
    shop = onboarding.shop_create(actor=seller, name=name)
    submission = onboard(shop, seller)
    with scope(shop=shop):
        VerificationSubmission.objects.filter(pk=submission.pk).update(
            submitted_at=timezone.now() - age
        )
    submission.refresh_from_db()
    return shop, seller, submission


def test_the_reviewer_group_exists_from_the_migration():
    assert Group.objects.filter(name=REVIEWER_GROUP).exists()


def test_queue_lists_oldest_first_with_age_and_overdue_highlighted(client, reviewer):
    submitted_shop("Fresh Shop", age=timedelta(hours=3))
    submitted_shop("Old Shop", age=timedelta(days=2, hours=1))
    submitted_shop("Middle Shop", age=timedelta(days=1, hours=23))
    client.force_login(reviewer)
    response = client.get(reverse("review:queue"))
    rows = response.context["rows"]
    assert [r["submission"].shop.name for r in rows] == ["Old Shop", "Middle Shop", "Fresh Shop"]
    assert [r["overdue"] for r in rows] == [True, False, False]
    page = response.content.decode()
    assert "2 d 1 h" in page and "1 d 23 h" in page and "3 h" in page
    assert page.count("badge-overdue") == 1
    assert "1 overdue" in page


def test_non_reviewers_get_404_on_every_review_page(client, owner):
    _, _, submission = submitted_shop()
    client.force_login(owner)
    for name, kwargs in [
        ("review:queue", {}),
        ("review:detail", {"submission_id": submission.pk}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    for name in ("review:claim", "review:decide", "review:release"):
        assert (
            client.post(reverse(name, kwargs={"submission_id": submission.pk})).status_code == 404
        )
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_review_pages_are_not_under_shops():
    assert not reverse("review:queue").startswith("/shops/")


def test_a_reviewer_never_reviews_a_shop_they_belong_to(client, reviewer):
    shop, _, submission = submitted_shop()
    with scope(shop=shop):
        MembershipFactory(shop=shop, user=reviewer, role="staff")
    client.force_login(reviewer)
    assert client.get(reverse("review:queue")).context["rows"] == []
    assert (
        client.get(reverse("review:detail", kwargs={"submission_id": submission.pk})).status_code
        == 404
    )
    response = client.post(reverse("review:claim", kwargs={"submission_id": submission.pk}))
    assert response.status_code == 404
    with scope(shop=shop):
        with pytest.raises(Exception) as excinfo:
            services.submission_claim(submission=submission, reviewer=reviewer)
        assert excinfo.type.__name__ == "Http404"
        assert VerificationSubmission.objects.get().status == "pending"


def test_claim_is_exclusive(reviewer):
    _, _, submission = submitted_shop()
    with scope(shop=submission.shop):
        other = make_reviewer("ola@review.test")
        services.submission_claim(submission=submission, reviewer=reviewer)
        with pytest.raises(services.AlreadyClaimed):
            services.submission_claim(submission=submission, reviewer=other)
        with pytest.raises(ValidationError, match="Claim this submission"):
            services.submission_decide(submission=submission, reviewer=other, outcome="approved")
    submission.refresh_from_db()
    assert submission.claimed_by == reviewer


def test_approval_activates_the_shop_starts_probation_and_emails_the_seller(
    client, reviewer, django_capture_on_commit_callbacks
):
    shop, seller, submission = submitted_shop()
    client.force_login(reviewer)
    client.post(reverse("review:claim", kwargs={"submission_id": submission.pk}))
    detail = client.get(reverse("review:detail", kwargs={"submission_id": submission.pk}))
    page = detail.content.decode()
    assert "Sam Seller" in page and "••••6789" in page and "US passport" in page
    assert "000123456789" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:decide", kwargs={"submission_id": submission.pk}),
            {"outcome": "approved"},
        )
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.status == Shop.Status.ACTIVE
    assert shop.on_probation
    with scope(shop=shop):
        assert ShopProbation.objects.filter(shop=shop, ended_at__isnull=True).exists()
        assert ShopStatusChange.objects.get(shop=shop).to_status == "active"
        assert [d.status for d in VerificationDocument.objects.filter(shop=shop)] == ["verified"]
        assert [m.subject for m in mail.outbox] == ["Sunny Threads is verified and active"]
        assert seller.email in mail.outbox[0].to
        actions = list(
            VerificationDecision.objects.filter(submission=submission).values_list(
                "action", "actor__email"
            )
        )
        assert actions == [
            ("submitted", seller.email),
            ("claimed", reviewer.email),
            ("approved", reviewer.email),
        ]
        assert AuditEvent.objects.filter(action="verification.approved", actor=reviewer).exists()


def test_rejection_needs_a_reason_and_lets_the_seller_resubmit(
    client, reviewer, django_capture_on_commit_callbacks
):
    shop, seller, submission = submitted_shop()
    with scope(shop=shop):
        services.submission_claim(submission=submission, reviewer=reviewer)
    client.force_login(reviewer)
    decide = reverse("review:decide", kwargs={"submission_id": submission.pk})
    response = client.post(decide, {"outcome": "rejected"})
    assert response.status_code == 400
    assert "Choose the reason" in response.content.decode()
    with scope(shop=shop):
        document = VerificationDocument.objects.get(shop=shop)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide,
            {
                "outcome": "rejected",
                "reason": "blurry",
                "note": "The photo is out of focus.",
                "rejected_documents": [document.pk],
            },
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.reason) == ("rejected", "blurry")
    document.refresh_from_db()
    assert document.status == "rejected"
    assert "Blurry or unreadable image" in mail.outbox[0].body
    assert "The photo is out of focus." in mail.outbox[0].body
    shop.refresh_from_db()
    assert shop.status == Shop.Status.PENDING_VERIFICATION
    with scope(shop=shop):
        # The rejected document no longer counts: the seller uploads a new one and resubmits.
        with pytest.raises(ValidationError, match="Documents"):
            onboarding.submission_submit(shop=shop, actor=seller)

    with scope(shop=shop):
        upload_document(shop, seller, doc_type="drivers_license", name="dl.png", valid_days=100)
        again = onboarding.submission_submit(shop=shop, actor=seller)
        assert [d.doc_type for d in again.documents.all()] == ["drivers_license"]
        assert VerificationSubmission.objects.filter(shop=shop).count() == 2


def test_more_information_needs_a_note_and_emails_it(reviewer, django_capture_on_commit_callbacks):
    shop, seller, submission = submitted_shop()
    with scope(shop=shop):
        services.submission_claim(submission=submission, reviewer=reviewer)
        with pytest.raises(ValidationError):
            services.submission_decide(
                submission=submission, reviewer=reviewer, outcome="more_info"
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.submission_decide(
                submission=submission,
                reviewer=reviewer,
                outcome="more_info",
                note="Upload the back of the licence too.",
            )
        assert "more information" in mail.outbox[0].subject
        assert "back of the licence" in mail.outbox[0].body
        # Documents are not rejected, only back with the seller; they can resubmit at once.
        assert onboarding.submission_submit(shop=shop, actor=seller).status == "pending"


def test_tampering_with_a_document_id_of_another_shop_in_the_decision_is_404(client, reviewer):
    shop, _, submission = submitted_shop()
    other_shop, _, _ = submitted_shop("Other Shop")
    with scope(shop=other_shop):
        foreign = VerificationDocument.objects.get()
    with scope(shop=shop):
        services.submission_claim(submission=submission, reviewer=reviewer)
    client.force_login(reviewer)
    response = client.post(
        reverse("review:decide", kwargs={"submission_id": submission.pk}),
        {"outcome": "rejected", "reason": "blurry", "rejected_documents": [foreign.pk]},
    )
    assert response.status_code == 404
    submission.refresh_from_db()
    foreign.refresh_from_db()
    assert submission.status == "in_review" and foreign.status == "submitted"


def test_missing_submission_is_404(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("review:detail", kwargs={"submission_id": 999999})).status_code == 404


def test_release_puts_it_back_in_the_queue(reviewer):
    _, _, submission = submitted_shop()
    with scope(shop=submission.shop):
        services.submission_claim(submission=submission, reviewer=reviewer)
        services.submission_release(submission=submission, reviewer=reviewer)
    submission.refresh_from_db()
    assert (submission.status, submission.claimed_by) == ("pending", None)


def test_each_step_follows_the_submissions_table_and_leaves_its_decision(reviewer):
    """Pending → in review → pending → in review → approved, each step with its decision row;
    an approved submission is final: nothing more moves it, nothing more is recorded."""
    _, _, submission = submitted_shop()
    with scope(shop=submission.shop):
        services.submission_claim(submission=submission, reviewer=reviewer)
        services.submission_release(submission=submission, reviewer=reviewer)
        services.submission_claim(submission=submission, reviewer=reviewer)
        services.submission_decide(submission=submission, reviewer=reviewer, outcome="approved")
        decisions = list(submission.decisions.values_list("action", "actor"))
        assert decisions == [
            ("submitted", submission.submitted_by_id),
            ("claimed", reviewer.pk),
            ("released", reviewer.pk),
            ("claimed", reviewer.pk),
            ("approved", reviewer.pk),
        ]

        with pytest.raises(services.AlreadyClaimed):
            services.submission_claim(submission=submission, reviewer=reviewer)
        with pytest.raises(ValidationError, match="You do not hold this submission"):
            services.submission_release(submission=submission, reviewer=reviewer)
        with pytest.raises(ValidationError, match="Claim this submission"):
            services.submission_decide(
                submission=submission, reviewer=reviewer, outcome="rejected", reason="blurry"
            )
        submission.refresh_from_db()
        assert submission.status == "approved" and submission.decisions.count() == len(decisions)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_claiming_at_once_only_one_wins():
    _, _, submission = submitted_shop()
    reviewers = [make_reviewer(f"r{i}@review.test") for i in range(8)]

    def claim(user):
        try:
            with scope(shop=submission.shop):  # as the review page does
                services.submission_claim(submission=submission, reviewer=user)
        except services.AlreadyClaimed:
            return "lost"
        return "won"

    results = at_once(claim, reviewers)
    assert sorted(results) == ["lost"] * 7 + ["won"]
    with scope(shop=submission.shop):
        assert VerificationDecision.objects.filter(action="claimed").count() == 1


def test_demo_reviewer_is_in_the_reviewer_group():
    from django.core.management import call_command

    from accounts.models import User

    call_command("seed_demo", "--seed", "3", stdout=io.StringIO())
    assert User.objects.get(email="reviewer@demo.test").groups.filter(name=REVIEWER_GROUP).exists()
    assert not User.objects.get(email="seller@demo.test").groups.exists()


def test_an_active_shop_sends_a_renewed_document_for_review(client, reviewer):

    shop, seller, submission = submitted_shop()
    with scope(shop=shop):
        services.submission_claim(submission=submission, reviewer=reviewer)
        services.submission_decide(submission=submission, reviewer=reviewer, outcome="approved")
    client.force_login(seller)
    progress = reverse("onboarding:progress", kwargs={"shop_slug": shop.slug})
    assert "submit-for-review" not in client.get(progress).content.decode()
    with scope(shop=shop):
        upload_document(
            shop, seller, doc_type="drivers_license", name="renewed.png", valid_days=900
        )
    assert "Send new documents for review" in client.get(progress).content.decode()
    client.post(reverse("onboarding:submit", kwargs={"shop_slug": shop.slug}))
    with scope(shop=shop):
        renewal = VerificationSubmission.objects.get(shop=shop, status="pending")
        services.submission_claim(submission=renewal, reviewer=reviewer)
        services.submission_decide(submission=renewal, reviewer=reviewer, outcome="approved")
        assert set(
            VerificationDocument.objects.filter(shop=shop).values_list("status", flat=True)
        ) == {"verified"}
        shop.refresh_from_db()
        assert shop.status == "active" and ShopProbation.objects.filter(shop=shop).count() == 1

"""The verification queue (SPEC §2): claim, release and decide submissions.

Every step is a move in ``VerificationSubmission.ALLOWED`` through the transition helper
(common.transitions): under the submission's row lock, so two reviewers can never hold the same
submission, and with its VerificationDecision (who, when, what, why) as the history row. A
reviewer can never act on a shop they are a member of. Every step is audited; every outcome
emails the seller.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from common.errors import Refused
from common.policy import POLICY
from common.transitions import transition
from shops.models import (
    Shop,
    VerificationDocument,
    VerificationSubmission,
)
from shops.notifications import email_shop_owners
from shops.review.access import is_member, is_reviewer
from shops.services.probation import probation_start
from shops.services.shop_status import shop_set_status

Status = VerificationSubmission.Status
Reason = VerificationSubmission.Reason


class AlreadyClaimed(Refused):
    pass


def submission_claim(*, submission: VerificationSubmission, reviewer) -> VerificationSubmission:
    """Take a pending submission: under its row lock, so two reviewers never hold the same one."""
    taken = "Another reviewer has already claimed this submission."
    return _claim_move(
        submission, reviewer, Status.IN_REVIEW, holder=reviewer, refusal=taken,
        check=lambda row: taken if row.claimed_by_id else None, error=AlreadyClaimed,
    )  # fmt: skip


def submission_release(*, submission: VerificationSubmission, reviewer) -> VerificationSubmission:
    """Put a claimed submission back in the queue, at its original place (oldest first)."""
    not_held = "You do not hold this submission."
    return _claim_move(
        submission, reviewer, Status.PENDING, holder=None, refusal=not_held,
        check=lambda row: None if row.claimed_by_id == reviewer.pk else not_held,
        error=ValidationError,
    )  # fmt: skip


def _claim_move(submission, reviewer, to_status, *, holder, refusal, check, error):
    """Claim (``holder`` is the reviewer) or release (None) under the row lock, audited."""
    _check_reviewer(submission, reviewer)
    with transaction.atomic():
        transition(
            submission,
            to_status,
            fields={"claimed_by": holder, "claimed_at": timezone.now() if holder else None},
            history={"actor": reviewer},
            check=check,
            refused=lambda row: refusal,
            error=error,
        )
        action = "verification.claimed" if holder else "verification.released"
        audit.record(actor=reviewer, action=action, shop=submission.shop, target=submission)
    submission.refresh_from_db()
    return submission


def submission_decide(
    *,
    submission: VerificationSubmission,
    reviewer,
    outcome: str,
    reason: str = "",
    note: str = "",
    rejected_document_ids: list[int] | None = None,
) -> VerificationSubmission:
    """Approve, reject (with a reason from the list) or ask for more information."""
    _check_reviewer(submission, reviewer)
    if outcome not in (Status.APPROVED, Status.REJECTED, Status.MORE_INFO):
        raise ValidationError({"outcome": "Choose approve, reject or request more information."})
    if outcome == Status.REJECTED and reason not in Reason.values:
        raise ValidationError({"reason": "Choose the reason for the rejection."})
    if outcome == Status.REJECTED and reason == Reason.OTHER and not note.strip():
        raise ValidationError({"note": "Explain the reason to the seller."})
    if outcome == Status.MORE_INFO and not note.strip():
        raise ValidationError({"note": "Tell the seller what information you need."})
    if outcome == Status.APPROVED:
        reason, rejected_document_ids = "", []
    note = note.strip()
    unclaimed = "Claim this submission before deciding on it."
    with transaction.atomic():
        now = timezone.now()
        locked = transition(
            submission,
            outcome,
            fields={"reason": reason, "note": note, "decided_at": now},
            history={"actor": reviewer, "reason": reason, "note": note},
            check=lambda row: None if row.claimed_by_id == reviewer.pk else unclaimed,
            refused=lambda row: unclaimed,
            error=ValidationError,
        ).row
        doc_ids = set(locked.documents.values_list("pk", flat=True))
        rejected = set(rejected_document_ids or [])
        if not rejected <= doc_ids:
            # A document id that is not part of this submission: tampering, answered like a miss
            # (raised inside the transaction, so the decision above is rolled back).
            raise Http404("No such document in this submission.")
        shop = locked.shop
        documents = VerificationDocument.objects.filter(pk__in=doc_ids)
        if outcome == Status.APPROVED:
            documents.filter(status=VerificationDocument.Status.SUBMITTED).update(
                status=VerificationDocument.Status.VERIFIED, verified_at=now
            )
        else:
            reason_label = Reason(reason).label if reason else "More information requested"
            documents.filter(pk__in=rejected).update(
                status=VerificationDocument.Status.REJECTED, rejection_reason=reason_label
            )
            documents.filter(status=VerificationDocument.Status.SUBMITTED).update(
                status=VerificationDocument.Status.UPLOADED
            )
        audit.record(
            actor=reviewer,
            action=f"verification.{outcome}",
            shop=shop,
            target=locked,
            changes={
                "status": (Status.IN_REVIEW, outcome),
                "reason": ("", reason),
                "note": ("", locked.note),
                "rejected_documents": ("", sorted(rejected)),
            },
        )
        if outcome == Status.APPROVED:
            if shop.status == Shop.Status.PENDING_VERIFICATION:
                shop_set_status(
                    shop=shop, actor=reviewer, to=Shop.Status.ACTIVE, reason="Verification approved"
                )
            probation_start(shop=shop, actor=reviewer)
        email_shop_owners(shop=shop, **_outcome_email(shop, locked))
    return locked


def _check_reviewer(submission: VerificationSubmission, reviewer) -> None:
    if not is_reviewer(reviewer):
        raise PermissionDenied("Only verification reviewers can do this.")
    if is_member(reviewer, submission.shop_id):
        # SPEC §1: never review a shop you belong to. Answered like a missing submission.
        raise Http404("No such submission.")


def _outcome_email(shop: Shop, submission: VerificationSubmission) -> dict:
    link = reverse("onboarding:progress", kwargs={"shop_slug": shop.slug})
    if submission.status == Status.APPROVED:
        return {
            "subject": f"{shop.name} is verified and active",
            "body": (
                f"Your shop {shop.name} passed verification and is now active.\n\n"
                f"New shops start on probation: up to {POLICY.probation_daily_order_cap} orders "
                f"a day and {POLICY.probation_live_listing_cap} live listings until the shop "
                "graduates."
            ),
        }
    if submission.status == Status.REJECTED:
        return {
            "subject": f"Verification of {shop.name}: please resubmit",
            "body": (
                f"We could not verify {shop.name}.\n\nReason: {submission.get_reason_display()}\n"
                + (f"Reviewer's note: {submission.note}\n" if submission.note else "")
                + f"\nFix what is listed, then submit again from Seller Center: {link}"
            ),
        }
    return {
        "subject": f"Verification of {shop.name}: more information needed",
        "body": (
            f"A reviewer needs more information to verify {shop.name}:\n\n{submission.note}\n\n"
            f"Update your onboarding and submit again: {link}"
        ),
    }

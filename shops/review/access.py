"""Who may use the verification queue: members of the "Verification reviewers" group, and never
on a shop they belong to (SPEC §1)."""

from django.http import Http404

from shops.models import Membership, VerificationSubmission

REVIEWER_GROUP = "Verification reviewers"


def is_reviewer(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.groups.filter(name=REVIEWER_GROUP).exists()
    )


def is_member(user, shop_id: int) -> bool:
    return Membership.objects.filter(user=user, shop_id=shop_id).exists()


def access_submission_for_review(reviewer, submission_id: int) -> VerificationSubmission:
    """The submission, or 404 — the same for missing ones and those of the reviewer's own shops."""
    submission = (
        VerificationSubmission.objects.select_related("shop", "claimed_by", "submitted_by")
        .filter(pk=submission_id)
        .exclude(shop__memberships__user=reviewer)
        .first()
    )
    if submission is None:
        raise Http404("No such submission.")
    return submission

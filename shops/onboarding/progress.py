"""Where a shop stands in onboarding: each wizard step done or missing, the eligibility rules,
and the latest submission. Read by the progress page, the Home banner and submission."""

from dataclasses import dataclass, field
from datetime import date

from shops.models import (
    BankAccount,
    SellerProfile,
    Shop,
    VerificationDocument,
    VerificationSubmission,
)
from shops.onboarding import rules
from shops.selectors import profile_or_blank


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    url_name: str
    done: bool
    detail: str = ""


@dataclass
class Progress:
    profile: SellerProfile
    steps: list[Step]
    documents: list[VerificationDocument]
    bank_account: BankAccount | None
    failures: list[rules.RuleFailure] = field(default_factory=list)
    open_submission: VerificationSubmission | None = None
    latest_submission: VerificationSubmission | None = None
    # The shop passed review (any status after pending verification): its steps are history,
    # never "missing".
    verified: bool = False

    @property
    def all_done(self) -> bool:
        return all(step.done for step in self.steps)

    @property
    def next_step(self) -> Step | None:
        return next((step for step in self.steps if not step.done), None)

    @property
    def has_new_documents(self) -> bool:
        """Uploaded since the last review (e.g. a renewal for an active shop): can be submitted."""
        return any(d.status == VerificationDocument.Status.UPLOADED for d in self.documents)

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)


def onboarding_progress(*, shop: Shop, today: date) -> Progress:
    profile = profile_or_blank(shop)  # reading progress writes nothing
    accepted = VerificationDocument.TYPES_FOR[shop.seller_type]
    documents = [
        d
        for d in VerificationDocument.objects.filter(
            shop=shop, status__in=VerificationDocument.CURRENT, doc_type__in=accepted
        ).order_by("uploaded_at", "id")
        if d.expires_on is None or d.expires_on > today
    ]
    bank_account = BankAccount.objects.filter(shop=shop).first()
    submissions = VerificationSubmission.objects.filter(shop=shop).order_by("-submitted_at", "-id")
    latest = submissions.first()
    open_submission = latest if latest and latest.status in VerificationSubmission.OPEN else None
    followers = profile.tiktok_followers
    steps = [
        Step(
            "seller_type",
            "Seller type",
            "onboarding:seller_type",
            profile.seller_type_chosen,
            shop.get_seller_type_display() if profile.seller_type_chosen else "",
        ),
        Step(
            "details",
            "Business details",
            "onboarding:details",
            profile.details_completed_at is not None,
            profile.display_name if profile.details_completed_at else "",
        ),
        Step(
            "documents",
            "Documents",
            "onboarding:documents",
            bool(documents),
            ", ".join(d.get_doc_type_display() for d in documents),
        ),
        Step(
            "bank_account",
            "Bank account",
            "shops:bank_account",
            bank_account is not None,
            bank_account.masked_number if bank_account else "",
        ),
        Step(
            "tiktok",
            "TikTok account",
            "onboarding:tiktok",
            bool(profile.tiktok_username) and followers is not None,
            f"@{profile.tiktok_username} · {followers:,} followers"
            if profile.tiktok_username and followers is not None
            else "",
        ),
    ]
    failures = (
        rules.onboarding_eligibility(shop=shop, profile=profile, today=today)
        if profile.details_completed_at and profile.tiktok_username
        else []
    )
    return Progress(
        profile=profile,
        steps=steps,
        documents=documents,
        bank_account=bank_account,
        failures=failures,
        open_submission=open_submission,
        latest_submission=latest,
        verified=shop.status != Shop.Status.PENDING_VERIFICATION,
    )

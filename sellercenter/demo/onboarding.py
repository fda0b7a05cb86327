"""A demo shop's onboarding, finished the way a real one is: the owner's details, an identity
document (a small PDF in the private storage), the linked TikTok account, and a submission a
reviewer approved — so the verification page shows every step done and its history."""

import hashlib
from datetime import date, timedelta

from django.core.files.base import ContentFile

from shops.models import (
    SellerProfile,
    SubmissionDocument,
    VerificationDecision,
    VerificationDocument,
    VerificationSubmission,
)

# A one-page PDF: enough for the reviewer's document view to open something real.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_onboarding(*, shop, owner, reviewer, rng, now) -> None:
    started = shop.created_at
    SellerProfile.objects.create(
        shop=shop,
        seller_type_chosen=True,
        legal_name=owner.full_name,
        date_of_birth=date(1988, 4, 12),
        address_line1=f"{rng.randint(10, 999)} Mission St",
        city="San Francisco",
        state="CA",
        postcode="94105",
        contact_email=owner.email,
        contact_phone="+14155550100",
        details_completed_at=started + timedelta(hours=1),
        tiktok_username=shop.slug.replace("-", ""),
        tiktok_followers=rng.randint(2_000, 90_000),
        tiktok_checked_at=started + timedelta(hours=2),
        updated_at=started + timedelta(hours=2),
    )
    document = VerificationDocument(
        shop=shop,
        doc_type=VerificationDocument.Type.US_PASSPORT,
        original_name="passport.pdf",
        content_type="application/pdf",
        size=len(DEMO_PDF),
        sha256=hashlib.sha256(DEMO_PDF).hexdigest(),
        expires_on=now.date() + timedelta(days=3 * 365),
        status=VerificationDocument.Status.VERIFIED,
        uploaded_by=owner,
        uploaded_at=started + timedelta(hours=1, minutes=30),
        verified_at=started + timedelta(days=1),
    )
    document.file.save(f"demo-{shop.slug}-passport.pdf", ContentFile(DEMO_PDF), save=False)
    document.save()
    submitted = started + timedelta(hours=3)
    decided = started + timedelta(days=1)
    submission = VerificationSubmission.objects.create(
        shop=shop,
        status=VerificationSubmission.Status.APPROVED,
        submitted_by=owner,
        submitted_at=submitted,
        claimed_by=reviewer,
        claimed_at=decided - timedelta(hours=1),
        decided_at=decided,
    )
    SubmissionDocument.objects.create(shop=shop, submission=submission, document=document)
    Action = VerificationDecision.Action
    VerificationDecision.objects.bulk_create(
        VerificationDecision(shop=shop, submission=submission, actor=actor, action=action,
                             created_at=at)
        for actor, action, at in (
            (owner, Action.SUBMITTED, submitted),
            (reviewer, Action.CLAIMED, decided - timedelta(hours=1)),
            (reviewer, Action.APPROVED, decided),
        )
    )  # fmt: skip

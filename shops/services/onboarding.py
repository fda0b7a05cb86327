"""Onboarding writes (SPEC §2): create the shop, save each wizard step, upload documents, link
TikTok, submit for review. Every step saves on its own, so the seller can stop and resume."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts import audit
from common.policy import POLICY
from shops.models import (
    Membership,
    Role,
    SellerProfile,
    Shop,
    VerificationDecision,
    VerificationDocument,
    VerificationSubmission,
)
from shops.onboarding.documents import inspect_upload
from shops.onboarding.progress import onboarding_progress
from shops.tiktok import TikTokLookupError, follower_count

# Slugs that would shadow a top-level path under /shops/.
RESERVED_SLUGS = frozenset({"new", "start", "setup", "review", "admin", "api"})


def shop_create(*, actor, name: str) -> Shop:
    """A new shop in "pending verification", owned by ``actor``; it goes live on approval."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give your shop a name."})
    base = slugify(name)[:50] or "shop"
    if base in RESERVED_SLUGS:
        base = f"{base}-shop"
    for attempt in range(20):
        slug = base if attempt == 0 else f"{base}-{uuid.uuid4().hex[:6]}"
        try:
            with transaction.atomic():
                shop = Shop.objects.create(
                    name=name,
                    slug=slug,
                    status=Shop.Status.PENDING_VERIFICATION,
                    on_probation=False,
                    region=POLICY.region,
                    currency=POLICY.currency,
                )
                Membership.objects.create(user=actor, shop=shop, role=Role.OWNER)
                SellerProfile.objects.create(shop=shop, contact_email=actor.email)
                audit.record(actor=actor, action="shop.created", shop=shop, target=shop)
                return shop
        except IntegrityError:
            continue
    raise ValidationError({"name": "Choose a different shop name."})


def profile_get(*, shop: Shop) -> SellerProfile:
    profile, _ = SellerProfile.objects.get_or_create(shop=shop)
    return profile


def profile_set_seller_type(*, shop: Shop, actor, seller_type: str) -> SellerProfile:
    with transaction.atomic():
        _refuse_while_in_review(shop)
        profile = profile_get(shop=shop)
        before = shop.seller_type
        Shop.objects.filter(pk=shop.pk).update(seller_type=seller_type)
        shop.seller_type = seller_type
        profile.seller_type_chosen = True
        if before != seller_type:
            # Details and documents differ per type: the details step must be checked again.
            profile.details_completed_at = None
        _profile_save(
            profile, shop=shop, actor=actor, action="onboarding.seller_type", target=shop,
            changes={"seller_type": (before, seller_type)},
        )  # fmt: skip
    return profile


def profile_save_details(*, shop: Shop, actor, data: dict) -> SellerProfile:
    """Business details (SPEC §2); ``data`` comes from a validated BusinessDetailsForm."""
    with transaction.atomic():
        _refuse_while_in_review(shop)
        profile = profile_get(shop=shop)
        changes = {}
        for field in SellerProfile.DETAIL_FIELDS:
            if field in data and getattr(profile, field) != data[field]:
                changes[field] = (getattr(profile, field), data[field])
                setattr(profile, field, data[field])
        if shop.seller_type == Shop.SellerType.INDIVIDUAL:
            profile.business_name = profile.registration_number = profile.registration_country = ""
        else:
            profile.date_of_birth = None
        profile.details_completed_at = timezone.now()
        # Which fields, not the personal data.
        _profile_save(
            profile, shop=shop, actor=actor, action="onboarding.details_saved",
            changes={k: ("…", "…") for k in changes},
        )  # fmt: skip
    return profile


def document_upload(
    *, shop: Shop, actor, doc_type: str, upload, expires_on: date | None, today: date | None = None
) -> VerificationDocument:
    """Check the file by content and the expiry date, then store it privately. A refused upload
    raises ValidationError and stores nothing."""
    today = today or timezone.localdate()
    allowed = VerificationDocument.TYPES_FOR[shop.seller_type]
    if doc_type not in allowed:
        raise ValidationError(
            {"doc_type": "This document type is not accepted for your seller type."}
        )
    if doc_type in VerificationDocument.EXPIRING_TYPES:
        if expires_on is None:
            raise ValidationError({"expires_on": "Enter the expiry date printed on the document."})
        if expires_on <= today:
            raise ValidationError(
                {"expires_on": "This document has expired. Upload a document that is still valid."}
            )
    else:
        expires_on = None
    try:
        inspected = inspect_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with transaction.atomic():
        _refuse_while_in_review(shop)
        document = VerificationDocument(
            shop=shop,
            doc_type=doc_type,
            original_name=(getattr(upload, "name", "") or "document")[-200:],
            content_type=inspected.content_type,
            size=len(inspected.content),
            sha256=inspected.sha256,
            width=inspected.width,
            height=inspected.height,
            expires_on=expires_on,
            uploaded_by=actor,
        )
        # The stored name comes from us, never from the seller.
        document.file.save(
            f"{shop.pk}-{uuid.uuid4().hex}{inspected.extension}",
            ContentFile(inspected.content),
            save=False,
        )
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        audit.record(
            actor=actor,
            action="onboarding.document_uploaded",
            shop=shop,
            target=document,
            changes={"doc_type": ("", doc_type), "sha256": ("", inspected.sha256)},
        )
    return document


def document_remove(*, shop: Shop, actor, document: VerificationDocument) -> None:
    with transaction.atomic():
        _refuse_while_in_review(shop)
        if document.status == VerificationDocument.Status.VERIFIED and shop.is_active:
            raise ValidationError(
                "A verified document of an active shop stays on file; upload a new one instead."
            )
        VerificationDocument.objects.filter(pk=document.pk).update(
            status=VerificationDocument.Status.REMOVED
        )
        audit.record(actor=actor, action="onboarding.document_removed", shop=shop, target=document)
    document.file.delete(save=False)


def tiktok_link(*, shop: Shop, actor, username: str) -> SellerProfile:
    username = username.strip().lstrip("@")
    try:
        followers = follower_count(username)
    except TikTokLookupError as exc:
        raise ValidationError({"username": str(exc)}) from exc
    with transaction.atomic():
        profile = profile_get(shop=shop)
        before = (profile.tiktok_username, profile.tiktok_followers)
        profile.tiktok_username = username
        profile.tiktok_followers = followers
        profile.tiktok_checked_at = timezone.now()
        _profile_save(
            profile, shop=shop, actor=actor, action="onboarding.tiktok_linked",
            changes={"tiktok": (list(before), [username, followers])},
        )  # fmt: skip
    return profile


def submission_submit(*, shop: Shop, actor, today: date | None = None) -> VerificationSubmission:
    """Send the onboarding data to the reviewer queue, if every step is done and the rules hold."""
    today = today or timezone.localdate()
    with transaction.atomic():
        shop = Shop.objects.select_for_update().get(pk=shop.pk)
        progress = onboarding_progress(shop=shop, today=today)
        if progress.open_submission is not None:
            raise ValidationError("Your shop is already waiting for review.")
        missing = [step.label for step in progress.steps if not step.done]
        if missing:
            raise ValidationError(f"Finish these steps first: {', '.join(missing)}.")
        if progress.failures:
            raise ValidationError([f.message for f in progress.failures])
        documents = progress.documents
        submission = VerificationSubmission.objects.create(
            shop=shop,
            submitted_by=actor,
            snapshot=_snapshot(shop, progress.profile, progress.bank_account),
        )
        submission.documents.set(documents, through_defaults={"shop": shop})
        VerificationDocument.objects.filter(
            pk__in=[d.pk for d in documents], status=VerificationDocument.Status.UPLOADED
        ).update(status=VerificationDocument.Status.SUBMITTED)
        VerificationDecision.objects.create(
            shop=shop,
            submission=submission,
            actor=actor,
            action=VerificationDecision.Action.SUBMITTED,
        )
        audit.record(actor=actor, action="verification.submitted", shop=shop, target=submission)
    return submission


def _refuse_while_in_review(shop: Shop) -> None:
    if VerificationSubmission.objects.filter(
        shop=shop, status__in=VerificationSubmission.OPEN
    ).exists():
        raise ValidationError(
            "Your details are with a reviewer. You can change them once the review is done."
        )


def _snapshot(shop: Shop, profile: SellerProfile, bank_account) -> dict:
    data = {field: profile.__dict__.get(field) for field in SellerProfile.DETAIL_FIELDS}
    if data.get("date_of_birth"):
        data["date_of_birth"] = data["date_of_birth"].isoformat()
    data.update(
        {
            "shop_name": shop.name,
            "seller_type": shop.seller_type,
            "tiktok_username": profile.tiktok_username,
            "tiktok_followers": profile.tiktok_followers,
            "bank_holder_name": bank_account.holder_name if bank_account else "",
            "bank_account_masked": bank_account.masked_number if bank_account else "",
            "bank_routing_number": bank_account.routing_number if bank_account else "",
        }
    )
    return data


def _profile_save(profile: SellerProfile, *, shop: Shop, actor, action: str, changes, target=None):
    """Stamp and save the profile, and record the step in the audit log."""
    profile.updated_at = timezone.now()
    profile.save()
    audit.record(actor=actor, action=action, shop=shop, target=target or profile, changes=changes)

"""Document expiry (SPEC §2): notices 30 and 7 days before a verified document expires, each sent
once (DocumentExpiryNotice's unique key); on expiry the document is marked expired, and an
expired business licence sends an active shop back to review. Missed days are caught up."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accounts import audit
from common.policy import POLICY
from shops.models import DocumentExpiryNotice, Shop, VerificationDocument
from shops.notifications import email_shop_owners
from shops.services.shop_status import shop_set_status

Status = VerificationDocument.Status


def document_expiry_sweep(*, today: date) -> dict[str, int]:
    stages = sorted(POLICY.document_expiry_notice_days, reverse=True)
    counts = {"notices": 0, "expired": 0, "back_to_review": 0}
    with scopes_disabled():
        due = list(
            VerificationDocument.objects.select_related("shop")
            .filter(status=Status.VERIFIED, expires_on__isnull=False)
            .filter(expires_on__lte=today + timedelta(days=max(stages)))
            .exclude(shop__status__in=Shop.CLOSED)
        )
    for document in due:
        with scope(shop=document.shop):
            if document.expires_on < today:
                counts["expired"] += 1
                counts["back_to_review"] += _expire(document)
                continue
            days_left = (document.expires_on - today).days
            # The tightest stage that has come due (a missed day still gets its notice).
            stage = min(s for s in stages if days_left <= s)
            if _notify(document, stage, days_left):
                counts["notices"] += 1
    return counts


def _notify(document: VerificationDocument, stage: int, days_left: int) -> bool:
    shop = document.shop
    try:
        with transaction.atomic():
            DocumentExpiryNotice.objects.create(shop=shop, document=document, days_before=stage)
            link = reverse("onboarding:documents", kwargs={"shop_slug": shop.slug})
            _email_owners_about(
                document, subject=f"expires in {days_left} days", verb="expires",
                then=f" Upload a new one before then: {link}",
            )  # fmt: skip
    except IntegrityError:
        return False  # already sent for this stage
    return True


def _expire(document: VerificationDocument) -> int:
    shop = document.shop
    with transaction.atomic():
        if not VerificationDocument.objects.filter(pk=document.pk, status=Status.VERIFIED).update(
            status=Status.EXPIRED
        ):
            return 0
        audit.record(actor=None, action="document.expired", shop=shop, target=document)
        back_to_review = (
            document.doc_type == VerificationDocument.Type.BUSINESS_LICENSE
            and shop.status == Shop.Status.ACTIVE
        )
        if back_to_review:
            shop_set_status(
                shop=shop,
                actor=None,
                to=Shop.Status.PENDING_VERIFICATION,
                reason="Business licence expired",
            )
        link = reverse("onboarding:progress", kwargs={"shop_slug": shop.slug})
        then = (
            " Your shop is back in review until a new licence is verified: upload it and "
            "submit again."
            if back_to_review
            else " Upload a new one."
        )
        _email_owners_about(
            document, subject="has expired", verb="expired", then=f"{then}\n\n{link}"
        )
    return int(back_to_review)


def _email_owners_about(document: VerificationDocument, *, subject: str, verb: str, then: str):
    """Email the owners "<document> <subject>", saying "The <document> on file for <shop> <verb>
    on <date>." and then ``then``."""
    shop, name = document.shop, document.get_doc_type_display()
    email_shop_owners(
        shop=shop,
        subject=f"{name} {subject}",
        body=f"The {name} on file for {shop.name} {verb} on {document.expires_on:%B %-d, %Y}.{then}",
    )

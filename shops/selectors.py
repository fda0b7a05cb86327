from datetime import date, timedelta

from django.db.models import Exists, OuterRef

from common.figures import shop_figure, shop_figure_forget
from common.policy import POLICY
from shops.models import Membership, Shop


def membership_list(*, user) -> list[Membership]:
    """The shops a user works in (the shop switcher). Not tenant-scoped: it is the user's own list."""
    return list(
        Membership.objects.select_related("shop")
        .filter(user=user)
        .exclude(shop__status=Shop.Status.DELETED)
    )


def access_verification_document(shop: Shop, document_id: int):
    """One of the shop's (not removed) documents, or 404 — the same for missing and foreign."""
    from django.shortcuts import get_object_or_404

    from shops.models import VerificationDocument

    return get_object_or_404(
        VerificationDocument.objects.exclude(status=VerificationDocument.Status.REMOVED),
        shop=shop,
        pk=document_id,
    )


def documents_expiring(shop: Shop, *, today: date) -> list:
    """Verified documents the seller is asked to replace (SPEC §2): expiring within the first
    notice period (POLICY.document_expiry_notice_days) or already past their date, and not yet
    replaced by a newer upload of the same type. Home's to-do list: a shop figure of the day
    (one cache read), forgotten when a document is uploaded or reviewed."""
    return shop_figure(
        shop.pk, _documents_figure(today), lambda: _documents_expiring_now(shop, today)
    ).value


def forget_documents_expiring(shop_id: int) -> None:
    from common.clock import local_date

    shop_figure_forget(shop_id, _documents_figure(local_date()))


def _documents_figure(today: date) -> str:
    return f"documents_expiring:{today.isoformat()}"


def _documents_expiring_now(shop: Shop, today: date) -> list:
    from shops.models import VerificationDocument

    Doc = VerificationDocument
    newer = Doc.objects.filter(
        shop=shop,
        doc_type=OuterRef("doc_type"),
        status__in=Doc.CURRENT,
        uploaded_at__gt=OuterRef("uploaded_at"),
    )
    window = timedelta(days=max(POLICY.document_expiry_notice_days))
    return list(
        Doc.objects.filter(
            shop=shop,
            status=Doc.Status.VERIFIED,
            expires_on__isnull=False,
            expires_on__lte=today + window,
        )
        .exclude(Exists(newer))
        .order_by("expires_on", "id")
    )


def profile_or_blank(shop: Shop):
    """The shop's seller profile, or an unsaved blank one (reading a form page writes nothing)."""
    from shops.models import SellerProfile

    return SellerProfile.objects.filter(shop=shop).first() or SellerProfile(shop=shop)

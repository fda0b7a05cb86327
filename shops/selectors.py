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


def documents_expiring(shop: Shop, *, today, within_days: int = 30) -> list:
    """Verified documents expiring within ``within_days`` (for Home's to-do list)."""
    from datetime import timedelta

    from shops.models import VerificationDocument

    return list(
        VerificationDocument.objects.filter(
            shop=shop,
            status=VerificationDocument.Status.VERIFIED,
            expires_on__isnull=False,
            expires_on__lte=today + timedelta(days=within_days),
        ).order_by("expires_on")
    )


def profile_or_blank(shop: Shop):
    """The shop's seller profile, or an unsaved blank one (reading a form page writes nothing)."""
    from shops.models import SellerProfile

    return SellerProfile.objects.filter(shop=shop).first() or SellerProfile(shop=shop)

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_scopes import scopes_disabled

from accounts.identity import identity_changed
from common.transitions import status_moved
from shops import activity
from shops.models import Membership, Shop, VerificationDocument
from shops.selectors import forget_documents_expiring


@receiver(user_logged_in, dispatch_uid="shops.signin_activity")
def count_sign_in_as_activity(sender, request, user, **kwargs):
    """SPEC §9.1: logging in to Seller Center keeps every shop of the user active."""
    with scopes_disabled():
        shop_ids = list(
            Membership.objects.filter(user=user)
            .exclude(shop__status=Shop.Status.DELETED)
            .values_list("shop_id", flat=True)
        )
        activity.record_for_shops(shop_ids=shop_ids, kind=activity.Kind.SIGNED_IN, actor=user)


@receiver(post_save, sender=Membership, dispatch_uid="shops.identity_on_membership_save")
@receiver(post_delete, sender=Membership, dispatch_uid="shops.identity_on_membership_delete")
def identity_changed_with_membership(sender, instance: Membership, **kwargs):
    """A member added, removed or given another role: their next request sees it."""
    identity_changed([instance.user_id])


@receiver(post_save, sender=Shop, dispatch_uid="shops.identity_on_shop_save")
def identity_changed_with_shop(sender, instance: Shop, **kwargs):
    """Cached identities carry the shop row (status, name, probation…): its members reload it.
    Bulk updates do the same in ``ShopQuerySet.update``; a deleted shop's memberships go with
    it, each through the receiver above."""
    members = Membership.objects.filter(shop=instance).values_list("user_id", flat=True)
    identity_changed(list(members))


@receiver(post_save, sender=VerificationDocument, dispatch_uid="shops.documents_on_upload")
def documents_on_upload(sender, instance: VerificationDocument, **kwargs):
    """A new or changed document changes Home's "upload a new …" to-do."""
    forget_documents_expiring(instance.shop_id)


@receiver(status_moved, dispatch_uid="shops.documents_on_review")
def documents_on_review(sender, moved, **kwargs):
    if sender is VerificationDocument:
        for shop_id in {row.shop_id for row, _ in moved}:
            forget_documents_expiring(shop_id)

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_scopes import scopes_disabled

from shops import activity
from shops.models import Membership, Shop


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

"""A cancelled order gives its coupon use back, so a coupon's ``uses``, its per-buyer
count and the Marketing page's orders all count the same, live orders.

Connected by this app's AppConfig.ready(). An order is cancelled at most once (Order.ALLOWED), so the
decrement runs once per order.

A change to a discount, a campaign, a campaign registration, a LIVE session's status or a pin
(its allocation raised) forgets the shop's promotion windows (orders.marketing.selectors), so
prices and LIVE allocations follow it at once.
"""

from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver
from django_scopes import scope, scopes_disabled

from common.figures import forget_on_change
from common.transitions import status_moved
from orders.marketing.models import (
    Campaign,
    CampaignProduct,
    Coupon,
    Discount,
    LivePin,
    LiveSession,
    OrderPromotion,
)
from orders.marketing.selectors import promotion_windows_forget
from orders.models import Order
from orders.signals import order_status_changed


@receiver(order_status_changed, dispatch_uid="marketing-coupon-use-returned-on-cancel")
def coupon_use_returned_on_cancel(sender, *, shop, order, to_status, **kwargs):
    if to_status != Order.Status.CANCELLED:
        return
    # Sent on commit, when whatever scope the cancelling code held may be closed already.
    with scope(shop=shop):
        coupon_ids = list(
            OrderPromotion.objects.filter(
                shop=shop, order=order, kind=OrderPromotion.Kind.COUPON
            ).values_list("coupon_id", flat=True)
        )
        if coupon_ids:
            Coupon.objects.filter(shop=shop, pk__in=coupon_ids, uses__gt=0).update(
                uses=F("uses") - 1
            )


forget_on_change(
    Discount,
    CampaignProduct,
    LiveSession,
    LivePin,
    forget=lambda shop_id: promotion_windows_forget([shop_id]),
    uid="marketing-windows",
)


@receiver(status_moved, dispatch_uid="marketing-windows-session-moved")
def promotion_windows_live_moved(sender, *, moved, **kwargs):
    if sender is LiveSession:
        promotion_windows_forget({row.shop_id for row, _ in moved})


@receiver(post_save, sender=Campaign, dispatch_uid="marketing-windows-campaign-saved")
def promotion_windows_campaign_changed(sender, *, instance, **kwargs):
    """Campaigns are the platform's (staff move their dates): every registered shop forgets."""
    with scopes_disabled():  # the shops registered to one campaign, read across shops
        shop_ids = set(
            CampaignProduct.objects.filter(campaign=instance).values_list("shop_id", flat=True)
        )
    promotion_windows_forget(shop_ids)

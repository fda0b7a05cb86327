"""A cancelled order gives its coupon use back, so a coupon's ``uses``, its per-buyer
count and the Marketing page's orders all count the same, live orders.

Connected by this app's AppConfig.ready(). An order is cancelled at most once (Order.ALLOWED), so the
decrement runs once per order.
"""

from django.db.models import F
from django.dispatch import receiver
from django_scopes import scope

from orders.marketing.models import Coupon, OrderPromotion
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

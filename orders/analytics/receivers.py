"""Home's cached figures (common.figures) that an order change makes wrong at once.

Connected by this app's AppConfig.ready(). ``order_status_changed`` is sent on commit, so the next view
recomputes from the committed state.
"""

from django.dispatch import receiver

from common.clock import local_date
from common.figures import shop_figure_forget
from orders.analytics.selectors import live_day_figure_name
from orders.models import Order
from orders.selectors import LATE_SHIPMENTS_FIGURE, ORDER_COUNTS_FIGURE
from orders.signals import order_status_changed


@receiver(order_status_changed, dispatch_uid="figures-forget-on-order-change")
def figures_forget_on_order_change(sender, *, shop, order, from_status, to_status, **kwargs):
    names = [ORDER_COUNTS_FIGURE]  # the order list's tabs
    if from_status in Order.TO_SHIP and to_status not in Order.TO_SHIP:
        names.append(LATE_SHIPMENTS_FIGURE)  # shipped or cancelled: no longer late
    if to_status == Order.Status.CANCELLED and local_date(order.placed_at) == local_date():
        names.append(live_day_figure_name(local_date()))  # out of today's orders and revenue
    shop_figure_forget(shop.pk, *names)

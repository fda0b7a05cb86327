"""Finance listens to order transitions: a completed order books its sale (SPEC §7)."""

from django.dispatch import receiver

from orders.signals import order_status_changed


@receiver(order_status_changed, dispatch_uid="finance-book-completed-order")
def book_completed_order(sender, shop, order, from_status, to_status, actor=None, **kwargs):
    if to_status != "completed":
        return
    from orders.aftersales_tasks import finance_book_sale_task

    finance_book_sale_task.delay(order.pk)

"""Finance listens to orders and returns (SPEC §7): a completed order books its sale, a refund
books its ledger entry."""

from django.dispatch import receiver

from orders.finance.services import ledger_book_refund
from orders.finance.tasks import finance_book_sale_task
from orders.returns.signals import return_refunded
from orders.signals import order_status_changed


@receiver(order_status_changed, dispatch_uid="finance-book-completed-order")
def book_completed_order(sender, shop, order, from_status, to_status, actor=None, **kwargs):
    if to_status != "completed":
        return
    finance_book_sale_task.delay(shop_id=shop.pk, order_id=order.pk)


@receiver(return_refunded, dispatch_uid="finance-book-refund")
def book_refund(sender, *, shop, return_request, amount, actor=None, **kwargs):
    """In the refund's transaction: the return and its ledger entry are written together."""
    ledger_book_refund(shop=shop, return_request=return_request, amount=amount, actor=actor)

"""What the fulfilment steps share: who may act on an order, the buyer's cancellation request
awaiting an answer, and the order's status following its packages."""

from common.errors import Refused
from orders.models import CancellationRequest, Order, Package
from orders.services.transitions import ActorKind, order_transition


def advance_after_packages(*, order: Order, actor, actor_kind: str, note: str, at=None) -> None:
    """Once everything has shipped, the order's state follows its packages."""
    states = set(Package.objects.filter(order=order).values_list("status", flat=True))
    if states == {Package.Status.DELIVERED}:
        target = Order.Status.DELIVERED
    elif states & {Package.Status.IN_TRANSIT, Package.Status.DELIVERED}:
        target = Order.Status.IN_TRANSIT
    else:
        target = Order.Status.AWAITING_COLLECTION
    if target == order.status:
        return
    if target not in Order.ALLOWED[order.status] and target == Order.Status.DELIVERED:
        # e.g. partially shipped → delivered happens through in transit.
        order_transition(
            order=order, to_status=Order.Status.IN_TRANSIT, actor=actor,
            actor_kind=actor_kind, note=note, at=at,
        )  # fmt: skip
    order_transition(
        order=order, to_status=target, actor=actor, actor_kind=actor_kind, note=note, at=at
    )


def cancellation_awaiting_answer(*, shop, order: Order):
    """The buyer's cancellation request the seller has not answered yet (one at most)."""
    return CancellationRequest.objects.filter(
        shop=shop, order=order, status=CancellationRequest.Status.REQUESTED
    )


def seller_may_act(order: Order, actor_kind: str) -> None:
    if actor_kind == ActorKind.SELLER and order.fulfillment == Order.Fulfillment.PLATFORM:
        raise Refused(
            f"Order {order.number} is fulfilled by the platform; it is read-only for the seller."
        )

"""What the fulfilment tests share: tracking numbers, an order's history and lines by title
(the two-line ``order`` fixture is in this folder's conftest)."""

from django_scopes import scope

UPS = "1Z999AA10123456784"
UPS2 = "1Z999AA10123456785"


def statuses(order):
    return list(order.history.values_list("from_status", "to_status", "actor_kind"))


def lines(order):
    with scope(shop=order.shop):
        return {line.title: line for line in order.lines.all()}

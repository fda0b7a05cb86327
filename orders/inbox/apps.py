from orders import nested_app


class InboxConfig(nested_app.NestedDomainConfig):
    name = "orders.inbox"
    label = "orders_inbox"
    verbose_name = "Buyer messages"

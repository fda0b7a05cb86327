from orders import nested_app


class ReturnsConfig(nested_app.NestedDomainConfig):
    name = "orders.returns"
    label = "orders_returns"
    verbose_name = "Returns and refunds"

from orders import nested_app


class AnalyticsConfig(nested_app.NestedDomainConfig):
    name = "orders.analytics"
    label = "orders_analytics"
    verbose_name = "Analytics: rollups and reports"

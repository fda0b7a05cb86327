from orders import nested_app


class MarketingConfig(nested_app.NestedDomainConfig):
    name = "orders.marketing"
    label = "orders_marketing"
    verbose_name = "Marketing: coupons, discounts, campaigns, LIVE"

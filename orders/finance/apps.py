from orders import nested_app


class FinanceConfig(nested_app.NestedDomainConfig):
    name = "orders.finance"
    label = "orders_finance"
    verbose_name = "Finance: ledger, settlements, withdrawals"

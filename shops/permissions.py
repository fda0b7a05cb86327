"""Shop roles and what each may do (SPEC §1).

Owner: everything, including bank account, unlink, deactivate and delete.
Manager: catalog, orders, returns, marketing, analytics (and what those need).
Staff: orders and customer service only.
"""

from shops.models import Role

VIEW = "view"  # any member: Home, help
CATALOG = "catalog"
ORDERS = "orders"
RETURNS = "returns"
SHIPPING = "shipping"
MARKETING = "marketing"
ANALYTICS = "analytics"
CUSTOMER_SERVICE = "customer_service"
FINANCE = "finance"
SETTINGS = "settings"
OWNER = "owner"  # bank details, payouts, unlink, deactivate, delete, members

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(
        {
            VIEW,
            CATALOG,
            ORDERS,
            RETURNS,
            SHIPPING,
            MARKETING,
            ANALYTICS,
            CUSTOMER_SERVICE,
            FINANCE,
            SETTINGS,
            OWNER,
        }
    ),
    Role.MANAGER: frozenset(
        {VIEW, CATALOG, ORDERS, RETURNS, SHIPPING, MARKETING, ANALYTICS, CUSTOMER_SERVICE, SETTINGS}
    ),
    Role.STAFF: frozenset({VIEW, ORDERS, CUSTOMER_SERVICE}),
}


def role_can(role: str, capability: str) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())

"""Shop roles and what each may do (SPEC §1).

Owner: everything, including bank account, unlink, deactivate and delete.
Manager: catalog, orders, returns, marketing, analytics (and what those need).
Staff: orders and customer service only.
"""

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    STAFF = "staff", "Staff"


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


# What a person calls each capability (the 403 page names the page and the roles that open it).
CAPABILITY_LABELS: dict[str, str] = {
    VIEW: "This page",
    CATALOG: "Products",
    ORDERS: "Orders",
    RETURNS: "Returns",
    SHIPPING: "Shipping",
    MARKETING: "Marketing",
    ANALYTICS: "Analytics",
    CUSTOMER_SERVICE: "Customer service",
    FINANCE: "Finance",
    SETTINGS: "Settings",
    OWNER: "This page",
}


def roles_with(capability: str) -> list[str]:
    """The display names of the roles that include a capability, widest role first."""
    return [Role(role).label for role, caps in ROLE_CAPABILITIES.items() if capability in caps]


def refusal_for(role: str, capability: str) -> str:
    """The sentence a member reads when their role does not include a page."""
    roles = roles_with(capability)
    needed = ", ".join(roles[:-1]) + " or " + roles[-1] if len(roles) > 1 else roles[0]
    page = CAPABILITY_LABELS.get(capability, "This page")
    return (
        f"{page} needs the {needed} role in this shop; your role here is {Role(role).label}. "
        "Ask the shop's owner if you need access."
    )

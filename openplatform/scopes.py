"""What an app may do in a shop: one scope per resource and direction, in plain words.

The consent page, Settings → Apps and the API's checks all read this table, so a scope's name
and what it allows are written once.
"""

SHOP_READ = "shop:read"
PRODUCTS_READ = "products:read"
PRODUCTS_WRITE = "products:write"
ORDERS_READ = "orders:read"
ORDERS_WRITE = "orders:write"
RETURNS_READ = "returns:read"
RETURNS_WRITE = "returns:write"
SHIPPING_READ = "shipping:read"
STANDING_READ = "standing:read"

SCOPES: dict[str, str] = {
    SHOP_READ: "See the shop's name, status, region and currency",
    PRODUCTS_READ: "See your products, variants (SKUs) and stock levels",
    PRODUCTS_WRITE: "Create and edit products, change their status and set stock",
    ORDERS_READ: "See your orders, their buyers' shipping addresses and packages",
    ORDERS_WRITE: "Ship orders with a carrier and tracking number, cancel orders and answer "
    "buyers' cancellation requests",
    RETURNS_READ: "See return requests",
    RETURNS_WRITE: "Approve, reject and refund return requests",
    SHIPPING_READ: "See your shipping templates",
    STANDING_READ: "See your shop's inactivity countdown and standing",
}


def scope_labels(scopes: list[str]) -> list[str]:
    return [SCOPES[s] for s in scopes if s in SCOPES]


def scopes_clean(scopes) -> list[str]:
    """The known scopes among ``scopes``, in the table's order (unknown ones are dropped)."""
    wanted = set(scopes or [])
    return [s for s in SCOPES if s in wanted]

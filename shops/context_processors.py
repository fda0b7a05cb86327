from shops.navigation import navigation_for


def tenancy(request):
    """The current shop, the user's role, the nav items it may see, and the shop switcher."""
    shop = getattr(request, "shop", None)
    membership = getattr(request, "membership", None)
    if shop is None or membership is None:
        return {}
    return {
        "shop": shop,
        "membership": membership,
        "nav_items": navigation_for(request, membership),
        # Loaded with the membership itself (shops.identity): no query here.
        "switchable_memberships": getattr(membership, "others", []),
    }

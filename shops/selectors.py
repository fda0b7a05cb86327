from shops.models import Membership, Shop


def membership_list(*, user) -> list[Membership]:
    """The shops a user works in (the shop switcher). Not tenant-scoped: it is the user's own list."""
    return list(
        Membership.objects.select_related("shop")
        .filter(user=user)
        .exclude(shop__status=Shop.Status.DELETED)
    )

from django.dispatch import receiver

from catalog.models import Product
from common.transitions import status_moved
from shops.activity import activity_recorded
from shops.models import Shop


@receiver(activity_recorded, dispatch_uid="lifecycle.close_inactivity_episode")
def close_inactivity_episode(sender, shop_ids, kind, at, **kwargs):
    """SPEC §9.2: any activity stops the countdown (re-listing stays an explicit step)."""
    from lifecycle.selectors import forget_inactivity_banner
    from lifecycle.services.inactivity.sweep import inactivity_episodes_close_for_activity

    if inactivity_episodes_close_for_activity(shop_ids=list(shop_ids), at=at):
        forget_inactivity_banner(shop_ids)


@receiver(status_moved, dispatch_uid="lifecycle.banner_on_status")
def banner_on_status(sender, moved, to, **kwargs):
    """A shop's status, or a product's move into or out of "delisted", changes its banner."""
    from lifecycle.selectors import forget_inactivity_banner

    if sender is Shop:
        forget_inactivity_banner({row.pk for row, _ in moved})
    elif sender is Product:
        delisted = Product.Status.DELISTED
        shop_ids = {row.shop_id for row, came_from in moved if delisted in (to, came_from)}
        if shop_ids:
            forget_inactivity_banner(shop_ids)

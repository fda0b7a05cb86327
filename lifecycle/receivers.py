from django.dispatch import receiver

from shops.activity import activity_recorded


@receiver(activity_recorded, dispatch_uid="lifecycle.close_inactivity_episode")
def close_inactivity_episode(sender, shop_ids, kind, at, **kwargs):
    """SPEC §9.2: any activity stops the countdown (re-listing stays an explicit step)."""
    from lifecycle.services.inactivity.sweep import inactivity_episodes_close_for_activity

    inactivity_episodes_close_for_activity(shop_ids=list(shop_ids), at=at)

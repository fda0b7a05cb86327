from django import template
from django.utils import timezone

from common.policy import POLICY
from shops.models import Shop
from shops.onboarding.progress import onboarding_progress

register = template.Library()


@register.inclusion_tag("shops/onboarding_banner.html", takes_context=True)
def onboarding_banner(context):
    """Home's banner while the shop is pending verification: what is done, what is next."""
    shop = context.get("shop")
    if shop is None or shop.status != Shop.Status.PENDING_VERIFICATION:
        return {"show": False}
    progress = onboarding_progress(shop=shop, today=timezone.localdate())
    if context.get("getting_started") and not context.get("show_figures"):
        if progress.latest_submission is None:
            # A new shop's Home is its getting-started checklist, which leads there already;
            # the banner returns with news of a submission (waiting, rejected, more info).
            return {"show": False}
    return {
        "show": True,
        "shop": shop,
        "progress": progress,
        "target_days": POLICY.review_target_days,
    }


@register.filter
def age(delta) -> str:
    """A submission's age for the review queue: "3 h", "1 d 4 h"."""
    hours = int(delta.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} d {hours} h"
    minutes = int(delta.total_seconds() // 60) % 60
    return f"{hours} h" if hours else f"{minutes} min"


@register.filter
def is_reviewer(user) -> bool:
    from shops.review.access import is_reviewer as check

    return check(user)

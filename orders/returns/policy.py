"""The shop's refund policy (SPEC §7): the seller edits it; it applies to requests opened after."""

from django.db import transaction
from django.utils import timezone

from accounts import audit
from orders.returns.models import ReturnPolicy, return_policy_for
from shops.models import Shop


def return_policy_update(*, shop: Shop, actor, data: dict) -> ReturnPolicy:
    """Save the shop's refund policy (applies to requests opened from now on)."""
    fields = ReturnPolicy.EDITABLE
    with transaction.atomic():
        current = return_policy_for(shop)
        before = {name: getattr(current, name) for name in fields}
        values = {name: data[name] for name in fields} | {"updated_at": timezone.now()}
        saved, _ = ReturnPolicy.objects.update_or_create(shop=shop, defaults=values)
        changes = {n: (before[n], values[n]) for n in fields if before[n] != values[n]}
        if changes:
            audit.record(
                actor=actor,
                action="returns.policy_updated",
                shop=shop,
                target=saved,
                changes=changes,
            )
    return saved

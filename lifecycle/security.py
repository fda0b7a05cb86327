"""The one gate in front of sensitive lifecycle actions (unlink, deactivate, delete, export).

Owner only; unlink, deactivate and delete also need two-step verification and a recent
re-authentication (SPEC §4), through the same gate as bank details (shops.security).
"""

from django.core.exceptions import PermissionDenied

from shops.permissions import OWNER
from shops.security import ensure_sensitive_action_allowed as refusal_for


def ensure_sensitive_action_allowed(request) -> None:
    """Raise PermissionDenied unless the request may perform an owner-only sensitive action."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can(OWNER):
        raise PermissionDenied("Only the shop owner can do this.")


def sensitive_action_refusal(request):
    """Owner check, then None or the redirect to turn on 2FA / re-authenticate (and come back)."""
    ensure_sensitive_action_allowed(request)
    return refusal_for(request, what="unlink, deactivate or delete the shop")

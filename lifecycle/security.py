"""The one gate in front of sensitive lifecycle actions (unlink, deactivate, delete, export).

For now it checks the owner role; at merge it is pointed at accounts' re-authentication and
2FA requirement (SPEC §4: owners must have 2FA and re-authenticate for these).
"""

from django.core.exceptions import PermissionDenied

from shops.permissions import OWNER


def ensure_sensitive_action_allowed(request) -> None:
    """Raise PermissionDenied unless the request may perform an owner-only sensitive action."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can(OWNER):
        raise PermissionDenied("Only the shop owner can do this.")

"""The gate in front of money-moving actions (withdrawals).

SPEC §4: owners must have 2FA and re-authenticate before touching payouts. ``sensitive_action``
puts accounts.reauth's two checks (two-step enrolled, recent re-authentication) in front of a
view; ``ensure_sensitive_action_allowed`` is the role check the view itself makes.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.reauth import require_2fa_enrolled, require_recent_reauth
from shops import permissions as p


def sensitive_action(view):
    """Decorate (below ``@shop_view``) a view that moves money: 2FA enrolled, fresh re-auth."""
    return require_2fa_enrolled(require_recent_reauth(view))


def ensure_sensitive_action_allowed(request: HttpRequest) -> None:
    """Raise PermissionDenied unless the member may perform a sensitive (payout) action now."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can(p.OWNER):
        raise PermissionDenied("Only the shop owner can withdraw funds.")

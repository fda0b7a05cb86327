"""The gate in front of money-moving actions (withdrawals).

SPEC §4: owners must have 2FA and re-authenticate before touching payouts. accounts.reauth
arrives with the accounts issue; until the lead wires it in here, this checks the owner role,
which every caller needs anyway.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from shops import permissions as p


def ensure_sensitive_action_allowed(request: HttpRequest) -> None:
    """Raise PermissionDenied unless the member may perform a sensitive (payout) action now."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can(p.OWNER):
        raise PermissionDenied("Only the shop owner can withdraw funds.")

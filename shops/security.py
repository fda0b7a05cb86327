"""Gate for sensitive shop actions (bank details now; payouts, unlink, delete later).

A stand-in until accounts.reauth lands: it will also require an enrolled second factor
(``require_2fa_enrolled``) and a recent re-authentication (``require_recent_reauth``). The lead
points this wrapper at those at merge; callers do not change.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shops.models import Role


def ensure_sensitive_action_allowed(request: HttpRequest) -> HttpResponse | None:
    """None when the request may go ahead; otherwise the response to serve instead."""
    membership = getattr(request, "membership", None)
    if membership is None or membership.role != Role.OWNER:
        return render(
            request,
            "403.html",
            {"reason": "Only the shop owner can change bank details."},
            status=403,
        )
    return None

"""Gate for sensitive shop actions (SPEC §4): bank details, payouts, unlink, deactivate, delete.

Owner only, with two-step verification on and a recent re-authentication (accounts.reauth).
Other apps' views call ``ensure_sensitive_action_allowed`` first and serve its response if any.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.reauth import sensitive_action_refusal
from shops.models import Role


def ensure_sensitive_action_allowed(
    request: HttpRequest, *, what: str = "change bank details"
) -> HttpResponse | None:
    """None when the request may go ahead; otherwise the response to serve instead."""
    membership = getattr(request, "membership", None)
    if membership is None or membership.role != Role.OWNER:
        return render(
            request, "403.html", {"reason": f"Only the shop owner can {what}."}, status=403
        )
    return sensitive_action_refusal(request)

"""Re-authentication and 2FA requirements for sensitive operations (SPEC §4).

Seller views declare ``@shop_view(capability, sensitive=True)`` and shops.tenancy serves
``sensitive_action_refusal`` before them: a user without an authenticator app is sent to enrol
(and back); a user who has not entered their password (and second factor, when they have one)
within ``POLICY.reauth_window`` goes to the re-authentication page, which returns to the page they
asked for. Account pages use ``require_recent_reauth``. A POST that arrives without a recent
re-authentication is not performed: the user comes back to the page by GET and submits again.
"""

import time
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from accounts.twofactor import user_has_second_factor
from common.policy import POLICY
from common.redirects import is_safe_redirect

SESSION_REAUTH_AT = "accounts_reauthenticated_at"


def mark_reauthenticated(request: HttpRequest) -> None:
    """Record that the user just proved who they are (sign-in or the re-auth page)."""
    request.session[SESSION_REAUTH_AT] = time.time()


def has_recent_reauth(request: HttpRequest) -> bool:
    at = request.session.get(SESSION_REAUTH_AT)
    window = POLICY.reauth_window.total_seconds()
    return isinstance(at, (int, float)) and 0 <= time.time() - at <= window


def reauth_redirect(request: HttpRequest, next_url: str | None = None) -> HttpResponseRedirect:
    next_url = next_url or _return_to(request)
    return HttpResponseRedirect(f"{reverse('account_reauth')}?{urlencode({'next': next_url})}")


def require_recent_reauth(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not has_recent_reauth(request):
            return reauth_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped


def sensitive_action_refusal(request: HttpRequest) -> HttpResponseRedirect | None:
    """None when the user has two-step verification and re-authenticated within the window;
    otherwise the redirect that gets them there (and back)."""
    if not user_has_second_factor(request.user):
        messages.warning(request, "Turn on two-step verification first: this page needs it.")
        return HttpResponseRedirect(
            f"{reverse('account_security_authenticator')}?{urlencode({'next': _return_to(request)})}"
        )
    if not has_recent_reauth(request):
        return reauth_redirect(request)
    return None


def _return_to(request: HttpRequest) -> str:
    """Where to come back to: this page for a GET; for a POST, the page the form was on."""
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    if is_safe_redirect(request, referer):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.path

"""Where a ``?next=`` (or a Referer) may send a person: this site only, and over HTTPS whenever
the request came over HTTPS or the app runs on the production profile — a proxy that forgot
its X-Forwarded-Proto header must not turn "https only" off. The one rule for every redirect
target taken from a request: the sign-in (allauth's adapter), re-authentication, two-step
set-up and the error page's "back" link."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def https_required(request: HttpRequest) -> bool:
    return request.is_secure() or getattr(settings, "PRODUCTION", False)


def is_safe_redirect(request: HttpRequest, url: str, *, allowed_hosts=None) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url,
        allowed_hosts=allowed_hosts or {request.get_host()},
        require_https=https_required(request),
    )

"""Tenancy plumbing: the one place a seller request is tied to a shop (ARCHITECTURE §Tenancy).

Every seller page lives under ``/shops/<shop_slug>/``. ``TenantMiddleware`` sees the
``shop_slug`` URL argument, reads the signed-in user's membership (shops.identity), answers
404 to strangers (never 403: a shop's existence must not leak), checks the role the view
declared with ``@shop_view(capability)``, and runs the view inside ``scope(shop=...)``, so
every shop-owned model's default manager is already filtered to this shop and refuses to run
at all outside a scope. A view declared ``sensitive=True`` also needs two-step verification and
a recent re-authentication (SPEC §4); a DomainError the view raises becomes its 4xx message.
"""

import functools
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import add_never_cache_headers
from django_scopes import scope

from accounts.reauth import sensitive_action_refusal
from common.errors import DomainError, error_response
from shops.identity import SHOP_KWARG, membership_for
from shops.models import Shop
from shops.permissions import VIEW, refusal_for

BANNED_MESSAGE = (
    "This shop is banned permanently for inactivity. It cannot be re-listed; contact platform "
    "support if you believe this is a mistake."
)
_CAPABILITY_ATTR = "shop_capability"
SENSITIVE_ATTR = "shop_sensitive"
# Hooks later stages register (second factor pending, reviewer-only accounts…): each gets the
# request and returns a response to serve instead of the seller page, or None.
GATES: list[Callable[[HttpRequest], HttpResponse | None]] = []


def shop_view(capability: str = VIEW, *, sensitive: bool = False):
    """Declare which role capability a seller view needs (see shops.permissions).

    ``sensitive=True`` marks bank details, payouts, unlink, deactivate and delete (SPEC §4): the
    member must have two-step verification on and have re-authenticated within
    ``POLICY.reauth_window``, or is sent to do so and brought back."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        setattr(wrapped, _CAPABILITY_ATTR, capability)
        setattr(wrapped, SENSITIVE_ATTR, sensitive)
        return wrapped

    return decorate


def capability_of(path: str) -> str | None:
    """The capability the seller view at ``path`` declared (None: not a seller page)."""
    return _capability_of(get_urlconf(), urlsplit(path).path)


@functools.lru_cache(maxsize=4096)
def _capability_of(urlconf, path: str) -> str | None:
    """Remembered per URL: Home asks for each of its links on every view."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    if SHOP_KWARG not in match.kwargs:
        return None
    return getattr(match.func, _CAPABILITY_ATTR, None)


def member_may_open(membership, path: str) -> bool:
    """Whether the member's role opens the seller page at ``path`` — the same check the
    middleware makes, so a link shown to a member never leads to a 403. Pages outside the seller
    area are not this check's business (True)."""
    capability = capability_of(path)
    if capability is None:
        return True
    return membership.can(capability)


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get(SHOP_KWARG)
        if slug is None:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        for gate in GATES:
            response = gate(request)
            if response is not None:
                return response
        # Loaded with the user from the session's cached identity (shops.identity), together
        # with the user's other shops for the top bar's switcher (``membership.others``).
        membership = membership_for(request, slug)
        if membership is None:
            raise Http404("No such shop.")
        if membership.shop.status == Shop.Status.BANNED:
            # Banned permanently (SPEC §9.2): its members are told so, and served no seller page.
            raise PermissionDenied(BANNED_MESSAGE)
        capability = getattr(view_func, _CAPABILITY_ATTR, None)
        if capability is None:
            # A seller URL whose view forgot to declare its role is a bug, not a public page.
            raise PermissionDenied("This page has not declared who may see it.")
        if not membership.can(capability):
            # The 403 page keeps the seller layout (nav, switcher) and names the roles needed.
            request.shop = membership.shop
            request.membership = membership
            raise PermissionDenied(refusal_for(membership.role, capability))
        if getattr(view_func, SENSITIVE_ATTR, False):
            refusal = sensitive_action_refusal(request)
            if refusal is not None:
                return refusal
        request.shop = membership.shop
        request.membership = membership
        with scope(shop=membership.shop):
            try:
                response = view_func(request, *view_args, **view_kwargs)
            except DomainError as error:
                return error_response(request, error)
            # Deferred rendering must happen inside the scope too.
            if (
                hasattr(response, "render")
                and callable(response.render)
                and not response.is_rendered
            ):
                response = response.render()
        if not response.has_header("Cache-Control"):
            # Seller pages show buyers' names, addresses and messages: never kept in a browser's
            # or a proxy's cache (a shared computer, the back button after signing out).
            add_never_cache_headers(response)
        return response

"""One cached identity per session: who is signed in, whether the session proved its second
factor, and — on a seller page — their membership of the URL's shop with the shop row and the
switcher's other shops.

Every request needs all of it, and loading it from the database took four round trips
(connection check, user, two-step device, membership); measured per request, the round trips,
not the queries' work, were the cost. ``IdentityMiddleware`` (Django's authentication
middleware plus django-otp's, in one) reads it with one cache round trip instead, and only a
miss reads the database — with the ORM, as Django and django-otp do. Measured with
``make bench --quick`` on one data set: the signed-in trivial view went from 375 to 628 req/s
(12 % → 28 % of the bare view), 2.0 → 0.9 ms of CPU per request in-process.

Correctness rests on two checks, made on every request before an entry is used:
- the entry is stamped with the user's identity version (accounts.identity), which moves when
  the user, a two-step device, a membership or one of the user's shops changes, so a removed
  member, a new role, a disabled second factor or ended sessions take effect on the next
  request;
- the entry records the session values it was built from (user id, backend, auth hash,
  verified device); a session that says otherwise is a miss.
"""

import functools
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import is_verified
from django_otp.models import Device

from accounts.identity import current_version, version_key
from shops.models import Membership, Shop

SHOP_KWARG = "shop_slug"
# How many other shops the top bar's switcher shows ("All my shops" lists the rest).
SWITCHER_LIMIT = 20
ENTRY_SECONDS = 300


@dataclass
class Identity:
    user: object  # the User, or AnonymousUser
    device: Device | None = None  # the confirmed device this session was verified with
    membership: Membership | None = None  # of the shop in the URL, with .shop and .others
    slug: str | None = None
    session_facts: tuple = ()
    version: str = ""


class IdentityMiddleware(AuthenticationMiddleware):
    """``request.user`` (with django-otp's ``otp_device`` and ``is_verified()``) from the cached
    identity; ``membership_for(request, slug)`` reads the same entry."""

    def process_request(self, request: HttpRequest) -> None:
        request.user = SimpleLazyObject(lambda: request_identity(request).user)
        request.auser = functools.partial(_auser, request)


def membership_for(request: HttpRequest, slug: str) -> Membership | None:
    """The signed-in user's membership of the shop ``slug`` (not deleted), or None."""
    identity = request_identity(request)
    if identity.slug != slug:
        # request.user was read before the URL was resolved: this shop needs its own entry.
        identity = request._identity = _load(request, slug)
    return identity.membership


def request_identity(request: HttpRequest) -> Identity:
    """This request's identity, loaded once (for the URL's shop, when it names one)."""
    identity = request.__dict__.get("_identity")
    if identity is None:
        match = getattr(request, "resolver_match", None)
        slug = match.kwargs.get(SHOP_KWARG) if match is not None else None
        identity = request._identity = _load(request, slug)
    return identity


async def _auser(request: HttpRequest):
    return (await sync_to_async(request_identity)(request)).user


def _load(request: HttpRequest, slug: str | None) -> Identity:
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    if user_id is None or session.session_key is None:
        return _finish(Identity(user=auth.get_user(request), slug=slug))
    facts = _session_facts(session)
    key = f"identity:{session.session_key}:{slug or ''}"
    # The version is read before the database: a change committed meanwhile moves it, and the
    # entry built from older rows is stamped with the version it has already lost.
    got = cache.get_many([key, version_key(user_id)])
    version, entry = got.get(version_key(user_id)), got.get(key)
    if entry is not None and version is not None and entry.version == version:
        if entry.session_facts == facts:
            return _finish(entry)
    version = version or current_version(user_id)
    identity = _from_database(request, slug)
    if identity.user.is_authenticated:
        identity.session_facts, identity.version = _session_facts(session), version
        cache.set(key, identity, ENTRY_SECONDS)
    return _finish(identity)


def _session_facts(session) -> tuple:
    return tuple(
        session.get(k) for k in (auth.SESSION_KEY, auth.BACKEND_SESSION_KEY, auth.HASH_SESSION_KEY)
    ) + (session.get(DEVICE_ID_SESSION_KEY),)


def _from_database(request: HttpRequest, slug: str | None) -> Identity:
    """What Django's and django-otp's middlewares and the tenancy resolver would load."""
    user = auth.get_user(request)  # flushes a session whose auth hash no longer matches
    identity = Identity(user=user, slug=slug)
    if not user.is_authenticated:
        return identity
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    if device is not None and (device.user_id != user.pk or not device.confirmed):
        device = None
    if device is None and persistent_id:
        del request.session[DEVICE_ID_SESSION_KEY]
    identity.device = device
    if slug is not None:
        identity.membership = _membership(user, slug)
    return identity


def _membership(user, slug: str) -> Membership | None:
    """The membership of ``slug`` with its shop, and the user's other shops for the switcher
    (the current one sorts first; at most ``SWITCHER_LIMIT`` others), in one query."""
    rows = list(
        Membership.objects.filter(user=user)
        .exclude(shop__status=Shop.Status.DELETED)
        .select_related("shop")
        .annotate(
            is_current=Case(
                When(shop__slug=slug, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("-is_current", "shop__name", "shop_id")[: SWITCHER_LIMIT + 1]
    )
    if not rows or not rows[0].is_current:
        return None
    current = rows[0]
    current.others = rows[1:]
    return current


def _finish(identity: Identity) -> Identity:
    """Give the user django-otp's attributes (as its middleware does)."""
    user = identity.user
    user.otp_device = identity.device
    user.is_verified = functools.partial(is_verified, user)
    return identity

"""The token opens the shop: the API's counterpart of shops.tenancy for pages.

``api_access`` wraps every operation before ninja parses anything: it reads the bearer token,
finds its app (cross-shop lookup by hash, said so explicitly), refuses a revoked app, a banned
shop or an authorizer who left the shop (401, never data), applies the per-app rate limit, and
runs the operation inside ``scope(shop=app.shop)`` so the scoped managers filter every query to
that shop exactly as they do for a page. Ids from the URL then go through ``access_<entity>``:
another shop's id is a 404.
"""

import time
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from ninja.security import HttpBearer

from openplatform.api.problems import problem
from openplatform.models import ShopApp
from openplatform.services import token_hash
from shops.models import Membership, Shop

# last_call_at is a hint for Settings → Apps, not a log: written at most once a minute per app.
LAST_CALL_RESOLUTION = timedelta(minutes=1)
RATE_WINDOW_SECONDS = 60
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def api_access(run):
    @wraps(run)
    def wrapped(request, *args, **kwargs):
        app = _app_for(request)
        if app is None:
            return problem(401, "Send a valid access token: Authorization: Bearer <token>.")
        if app.shop.status == Shop.Status.BANNED:
            return problem(403, "This shop is banned; its API is closed.")
        limited = _rate_limited(app)
        if limited is not None:
            return limited
        if request.method in UNSAFE and _too_big(request):
            return problem(413, f"The request body is over {settings.API_MAX_BODY_BYTES} bytes.")
        if request.method in UNSAFE and request.body and not _json(request):
            return problem(415, "Send the body as JSON: Content-Type: application/json.")
        request.api_app, request.shop = app, app.shop
        request.api_actor = app.created_by
        _stamp_last_call(app)
        with scope(shop=app.shop):
            from openplatform.api.idempotency import idempotent

            return idempotent(request, lambda: run(request, *args, **kwargs))

    return wrapped


class TokenAuth(HttpBearer):
    """Describes the bearer token in the OpenAPI document; ``api_access`` has checked it."""

    def __call__(self, request):
        return getattr(request, "api_app", None)

    def authenticate(self, request, token):  # pragma: no cover — __call__ answers
        return getattr(request, "api_app", None)


def _app_for(request) -> ShopApp | None:
    header = request.headers.get("authorization", "")
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        return None
    from openplatform.oauth import partner_app_for_token

    with scopes_disabled():  # the token names its shop: a cross-shop lookup by design
        app = (
            ShopApp.objects.select_related("shop", "created_by")
            .filter(token_hash=token_hash(token.strip()), revoked_at__isnull=True)
            .filter(_authorizer_still_member())
            .first()
        )
        if app is None:
            app = partner_app_for_token(token.strip(), _authorizer_still_member())
    return app


def _authorizer_still_member():
    """An app acts for the member who authorized it: when they leave the shop, it stops."""
    return Exists(Membership.objects.filter(shop=OuterRef("shop"), user=OuterRef("created_by")))


def _rate_limited(app: ShopApp):
    now = time.time()
    window = int(now // RATE_WINDOW_SECONDS)
    key = f"api-rate:{app.pk}:{window}"
    try:
        cache.add(key, 0, RATE_WINDOW_SECONDS + 5)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 — the cache down must not close the API (README: Redis down)
        return None
    if count > settings.API_RATE_LIMIT_PER_MINUTE:
        retry = max(1, int((window + 1) * RATE_WINDOW_SECONDS - now) + 1)
        return problem(
            429,
            f"Over {settings.API_RATE_LIMIT_PER_MINUTE} calls a minute for this app and shop.",
            headers={"Retry-After": str(retry)},
        )
    return None


def _too_big(request) -> bool:
    try:
        length = int(request.headers.get("content-length") or 0)
    except ValueError:
        return True
    return length > settings.API_MAX_BODY_BYTES


def _json(request) -> bool:
    """application/json, or a JSON-based type such as application/merge-patch+json."""
    kind = request.content_type or ""
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def _stamp_last_call(app: ShopApp) -> None:
    now = timezone.now()
    if app.last_call_at and now - app.last_call_at < LAST_CALL_RESOLUTION:
        return
    with scopes_disabled():
        ShopApp.objects.filter(pk=app.pk).update(last_call_at=now)
    app.last_call_at = now

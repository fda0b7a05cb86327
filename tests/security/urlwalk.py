"""Walk the URLconf: every named URL pattern with its kwargs filled from a given world."""

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# URL prefixes open to anyone (sign-in flows, the public storefront, health check, the API's
# OpenAPI document and reference page — the API itself answers 401 without a token — and the
# OAuth token endpoints).
PUBLIC_PREFIXES = (
    "/accounts/",
    "/store/",
    "/healthz",
    "/favicon.ico",
    "/webhooks/",
    "/api/v1/openapi.json",
    "/api/v1/docs",
    # OAuth endpoints partner apps call with their client credentials, not a session.
    "/oauth/token/",
    "/oauth/revoke_token/",
)


def all_patterns():
    """(view name, sorted kwarg names) for every named pattern outside the Django admin."""
    found = []

    def walk(patterns, ns, params):
        for entry in patterns:
            # regex group names, not .converters: Django shares one converters dict between equal routes.
            here = params | set(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin":
                    continue
                walk(entry.url_patterns, ns + ([entry.namespace] if entry.namespace else []), here)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((":".join(ns + [entry.name]), tuple(sorted(here))))

    walk(get_resolver().url_patterns, [], set())
    return sorted(set(found))


def seller_url_patterns():
    """(view name, sorted kwarg names) for every pattern under /shops/<shop_slug>/."""
    return [(name, params) for name, params in all_patterns() if "shop_slug" in params]


def shop_owned_model(kwarg: str):
    wanted = kwarg.removesuffix("_id").replace("_", "")
    for model in apps.get_models():
        if model._meta.model_name == wanted and any(f.name == "shop" for f in model._meta.fields):
            return model
    return None


def fill(name: str, params: tuple[str, ...], shop) -> str | None:
    """Reverse a pattern for ``shop``; None when an id kwarg has no object of that shop."""
    kwargs = {}
    for param in params:
        if param == "shop_slug":
            kwargs[param] = shop.slug
            continue
        model = shop_owned_model(param)
        value = (
            model._base_manager.filter(shop=shop).values_list("pk", flat=True).first()
            if model
            else None
        )
        if value is None:
            return None
        kwargs[param] = value
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:  # noqa: BLE001 — a pattern with kwargs we cannot fill (tokens, keys) is skipped
        return None

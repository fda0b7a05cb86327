"""Authorizing and revoking apps: every write, audited and emailed to the shop's owners."""

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts import audit
from common.errors import BadInput, Refused
from openplatform.models import ShopApp
from openplatform.scopes import SCOPES, scope_labels, scopes_clean
from shops.models import Shop
from shops.notifications import email_shop_owners

TOKEN_PREFIX = "scp_"


@dataclass(frozen=True)
class CreatedApp:
    app: ShopApp
    token: str  # shown to the owner once; only its hash is kept


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def private_app_create(
    *, shop: Shop, actor, name: str, scopes: list[str], ip: str | None = None
) -> CreatedApp:
    """A private app for this shop, with a new access token that only this answer shows."""
    name = (name or "").strip()
    if not name:
        raise BadInput("Name the app, e.g. “Warehouse sync”.", field="name")
    if len(name) > 100:
        raise BadInput("Keep the name under 100 characters.", field="name")
    unknown = set(scopes or []) - set(SCOPES)
    if unknown:
        raise BadInput(f"Unknown scope: {', '.join(sorted(unknown))}.", field="scopes")
    scopes = scopes_clean(scopes)
    if not scopes:
        raise BadInput("Choose at least one thing the app may do.", field="scopes")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        app = ShopApp.objects.create(
            shop=shop,
            name=name,
            kind=ShopApp.Kind.PRIVATE,
            scopes=scopes,
            token_hash=token_hash(token),
            token_hint=token[: len(TOKEN_PREFIX) + 4],
            created_by=actor,
        )
        _authorized(shop=shop, actor=actor, app=app, ip=ip)
    return CreatedApp(app=app, token=token)


def app_authorized_record(*, shop: Shop, actor, app: ShopApp, ip: str | None = None) -> None:
    """Audit and email a new authorization (a partner app's consent lands here too)."""
    _authorized(shop=shop, actor=actor, app=app, ip=ip)


def app_revoke(*, shop: Shop, actor, app: ShopApp, ip: str | None = None) -> ShopApp:
    """Revoke at once: the next call with its token is refused."""
    with transaction.atomic():
        app = ShopApp.objects.select_for_update().get(shop=shop, pk=app.pk)
        if app.revoked_at is not None:
            raise Refused(f"{app.name} was already revoked.")
        app.revoked_at, app.revoked_by = timezone.now(), actor
        app.save(update_fields=["revoked_at", "revoked_by"])
        if app.kind == ShopApp.Kind.PARTNER:
            from openplatform.oauth import partner_tokens_revoke

            partner_tokens_revoke(app)
        audit.record(
            actor=actor, action="app.revoked", shop=shop, target=app,
            changes={"revoked": (False, True)}, ip=ip,
        )  # fmt: skip
        email_shop_owners(
            shop=shop,
            subject=f"App access revoked: {app.name}",
            body=(
                f"{getattr(actor, 'email', 'Someone')} revoked the access of “{app.name}” "
                f"to {shop.name}. Its token no longer works.\n\n"
                "If you did not expect this, review Settings → Apps and your security log."
            ),
            key=f"app-revoked:{app.pk}",
        )
    return app


def _authorized(*, shop: Shop, actor, app: ShopApp, ip: str | None) -> None:
    row = audit.record(
        actor=actor, action="app.authorized", shop=shop, target=app,
        changes={"scopes": ([], app.scopes)}, ip=ip,
    )  # fmt: skip
    allowed = "\n".join(f"- {label}" for label in scope_labels(app.scopes))
    email_shop_owners(
        shop=shop,
        subject=f"New app access: {app.name}",
        body=(
            f"{getattr(actor, 'email', 'Someone')} gave “{app.name}” ({app.get_kind_display()}) "
            f"access to {shop.name}. It may:\n{allowed}\n\n"
            "If you did not expect this, revoke it in Settings → Apps."
        ),
        key=f"app-authorized:{row.pk}",
    )


def webhook_subscribe(*, shop: Shop, app: ShopApp, url: str, events: list[str]):
    """Subscribe the app's endpoint to events it holds the scope for; returns the subscription
    and its signing secret (shown once)."""
    import base64

    from common.outbound import target_check
    from openplatform.models import WebhookSubscription
    from openplatform.webhooks.events import EVENTS

    unknown = sorted(set(events) - set(EVENTS))
    if unknown or not events:
        raise BadInput(f"Choose events among: {', '.join(EVENTS)}.", field="events")
    missing = sorted({EVENTS[e] for e in events} - set(app.scopes))
    if missing:
        raise Refused(f"These events need the {', '.join(missing)} scope.", field="events")
    target_check(url)
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    subscription = WebhookSubscription.objects.create(
        shop=shop, app=app, url=url, events=sorted(set(events)), secret=secret
    )
    return subscription, secret


def partner_app_authorize(*, shop: Shop, actor, application, scopes: list[str], ip=None) -> ShopApp:
    """The owner's consent for a partner app on this shop: one active ShopApp per app and shop
    (a new consent replaces the scopes of the previous one), audited and emailed."""
    scopes = scopes_clean(scopes)
    with transaction.atomic():
        app = (
            ShopApp.objects.select_for_update()
            .filter(shop=shop, application=application, revoked_at__isnull=True)
            .first()
        )
        if app is None:
            app = ShopApp.objects.create(
                shop=shop, name=application.name, kind=ShopApp.Kind.PARTNER,
                application=application, scopes=scopes, created_by=actor,
            )  # fmt: skip
        else:
            app.scopes, app.created_by = scopes, actor
            app.save(update_fields=["scopes", "created_by"])
        _authorized(shop=shop, actor=actor, app=app, ip=ip)
    return app

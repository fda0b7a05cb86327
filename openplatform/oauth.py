"""Partner apps: OAuth 2.0 authorization code with PKCE (django-oauth-toolkit), bound to a shop.

Staff register a partner app in the admin (oauth2_provider's Application, with a PartnerApp
row saying which scopes it may ask for). An owner consents on a seller page of one shop
(``views_oauth.authorize``): the grant is stamped with that shop's ShopApp, the validator below
binds the token family (the first tokens and every refresh after) to it, and the API opens
that shop for the token and no other. Revoking in Settings → Apps revokes the tokens too.
"""

import hashlib
import json

from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_refresh_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from openplatform.models import PartnerApp, PartnerTokenFamily, ShopApp
from openplatform.scopes import SCOPES

SHOP_APP_CLAIM = "shop_app"


class ShopScopes(BaseScopes):
    """The platform's scopes; a partner app may ask only for those staff gave it."""

    def get_all_scopes(self):
        return dict(SCOPES)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        if application is None:
            return list(SCOPES)
        partner = PartnerApp.objects.filter(application=application).first()
        return [s for s in SCOPES if partner and s in partner.scopes]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request)


class ShopOAuth2Validator(OAuth2Validator):
    def _create_refresh_token(self, request, refresh_token_code, access_token, previous):
        refresh_token = super()._create_refresh_token(
            request, refresh_token_code, access_token, previous
        )
        if previous is None:  # a new authorization: bind its family to the consented shop
            shop_app_id = (getattr(request, "claims", None) or {}).get(SHOP_APP_CLAIM)
            if shop_app_id:
                PartnerTokenFamily.objects.get_or_create(
                    token_family=refresh_token.token_family,
                    defaults={"shop_app_id": shop_app_id},
                )
        return refresh_token


def grant_bind(*, code: str, shop_app: ShopApp) -> None:
    """Stamp the authorization code just issued with the shop's ShopApp (read at exchange)."""
    from oauth2_provider.models import get_grant_model

    get_grant_model().objects.filter(code=code, application=shop_app.application).update(
        claims=json.dumps({SHOP_APP_CLAIM: shop_app.pk})
    )


def partner_app_for_token(token: str, still_member) -> ShopApp | None:
    """The ShopApp a live partner access token opens, with the token's own scopes; else None.
    Called inside scopes_disabled() (a cross-shop lookup by token)."""
    checksum = hashlib.sha256(token.encode()).hexdigest()
    access = (
        get_access_token_model()
        .objects.select_related("refresh_token")
        .filter(token_checksum=checksum, expires__gt=timezone.now())
        .first()
    )
    family = getattr(getattr(access, "refresh_token", None), "token_family", None)
    if access is None or family is None:
        return None
    app = (
        ShopApp.objects.select_related("shop", "created_by")
        .filter(
            pk__in=PartnerTokenFamily.objects.filter(token_family=family).values("shop_app"),
            revoked_at__isnull=True,
        )
        .filter(still_member)
        .first()
    )
    if app is not None:
        granted = set(access.scope.split())
        app.scopes = [s for s in app.scopes if s in granted]
    return app


def partner_tokens_revoke(shop_app: ShopApp) -> None:
    """Revoke every token of this authorization (Settings → Apps → Revoke)."""
    families = PartnerTokenFamily.objects.filter(shop_app=shop_app).values_list(
        "token_family", flat=True
    )
    refresh_model = get_refresh_token_model()
    for family in families:
        refresh_model.revoke_family(family)

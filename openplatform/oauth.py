"""Partner apps' OAuth tokens (authorization code + PKCE). Until a provider is wired in, only
private apps' tokens open the API."""

from openplatform.models import ShopApp


def partner_app_for_token(token: str, still_member) -> ShopApp | None:
    return None

"""OAuth 2.0 endpoints for partner apps (no self-service application management: staff
register apps in the admin)."""

from django.urls import path
from oauth2_provider import views as oauth_views

from openplatform import views_oauth

urlpatterns = [
    path("authorize/", views_oauth.choose_shop, name="authorize"),
    path("token/", oauth_views.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke_token"),
]

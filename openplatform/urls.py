from django.urls import path

from openplatform import views, views_oauth

app_name = "openplatform"

urlpatterns = [
    path("", views.apps_list, name="apps"),
    path("private/new/", views.private_app_new, name="private_app_new"),
    path("<int:shop_app_id>/revoke/", views.app_revoke_confirm, name="app_revoke"),
    # A partner app's consent page (OAuth 2.0 authorization code + PKCE) for this shop.
    path("authorize/", views_oauth.authorize, name="authorize"),
    path(
        "deliveries/<int:webhook_delivery_id>/redeliver/",
        views.delivery_redeliver,
        name="delivery_redeliver",
    ),
]

from django.urls import path

from openplatform import views, views_oauth, views_sync

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
    # Inventory sync from a connected Shopify store (openplatform.sync).
    path("inventory-sync/", views_sync.inventory_sync_page, name="inventory_sync"),
    path("inventory-sync/connect/", views_sync.store_connect_view, name="store_connect"),
    path("inventory-sync/disconnect/", views_sync.store_disconnect_view, name="store_disconnect"),
    path("inventory-sync/sync/", views_sync.inventory_sync_now, name="inventory_sync_now"),
]

"""Public URLs: the storefront (/store/<store_slug>/…) and the carrier webhook."""

from django.urls import path

from orders.views import buyer_links, storefront, webhooks

app_name = "store"

urlpatterns = [
    path("store/<slug:store_slug>/", storefront.store_home, name="home"),
    path(
        "store/<slug:store_slug>/products/<int:product_id>/",
        storefront.store_product,
        name="product",
    ),
    path("store/<slug:store_slug>/cart/", storefront.store_cart, name="cart"),
    path("store/<slug:store_slug>/cart/quote/", storefront.store_quote, name="quote"),
    path("store/<slug:store_slug>/checkout/", storefront.store_checkout, name="checkout"),
    path(
        "store/<slug:store_slug>/orders/<str:token>/",
        storefront.store_buyer_order,
        name="buyer_order",
    ),
    path(
        "store/<slug:store_slug>/orders/<str:token>/fresh-link/",
        buyer_links.store_buyer_link_fresh,
        name="buyer_link_fresh",
    ),
    path(
        "store/<slug:store_slug>/orders/<str:token>/revoke-link/",
        buyer_links.store_buyer_link_revoke,
        name="buyer_link_revoke",
    ),
    path("webhooks/carrier/", webhooks.carrier_webhook, name="carrier_webhook"),
]

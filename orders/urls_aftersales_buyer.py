"""Public buyer pages for returns and messages, under /store/<store_slug>/ (no shop_slug kwarg:
these are not seller pages and the tenancy middleware must not ask for a sign-in)."""

from django.urls import path

from orders.views import buyer_aftersales as views

app_name = "orders_buyer"

urlpatterns = [
    path("<slug:store_slug>/orders/<str:token>/return/", views.buyer_returns, name="returns"),
    path(
        "<slug:store_slug>/orders/<str:token>/messages/",
        views.buyer_order_messages,
        name="order_messages",
    ),
    path(
        "<slug:store_slug>/products/<int:product_id>/ask/",
        views.buyer_product_question,
        name="product_question",
    ),
    path(
        "<slug:store_slug>/messages/<str:token>/",
        views.buyer_conversation,
        name="conversation",
    ),
]

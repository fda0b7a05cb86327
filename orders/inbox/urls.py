"""Buyer messages. Seller pages join the ``orders`` namespace (orders/urls.py); buyer pages join
``orders_buyer`` (orders/buyer_urls.py), so every URL name stays as it was."""

from django.urls import path

from orders.inbox import views

urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:conversation_id>/", views.inbox_conversation, name="inbox_conversation"),
    path("messages/<int:conversation_id>/read/", views.inbox_read, name="inbox_read"),
    path("messages/<int:conversation_id>/reply/", views.inbox_reply, name="inbox_reply"),
    path("messages/<int:conversation_id>/resolve/", views.inbox_resolve, name="inbox_resolve"),
]

buyer_urlpatterns = [
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

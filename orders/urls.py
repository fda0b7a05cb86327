"""Seller pages of orders and its nested domains, all in the ``orders`` URL namespace."""

from django.urls import path

from orders.analytics.urls import urlpatterns as analytics_urls
from orders.finance.urls import urlpatterns as finance_urls
from orders.inbox.urls import urlpatterns as inbox_urls
from orders.returns.urls import urlpatterns as returns_urls
from orders.views import bulk as bulk_views
from orders.views import orders as order_views
from orders.views import shipping_templates as shipping_views

app_name = "orders"

urlpatterns = [
    path("orders/", order_views.order_list, name="order_list"),
    path("orders/<int:order_id>/", order_views.order_detail, name="order_detail"),
    path("orders/export.csv", order_views.order_export, name="order_export"),
    path("orders/bulk-ship/", order_views.order_bulk_ship, name="order_bulk_ship"),
    path("orders/packing-slips/", bulk_views.order_packing_slips, name="order_packing_slips"),
    path(
        "orders/mark-shipped/", bulk_views.order_bulk_mark_shipped, name="order_bulk_mark_shipped"
    ),
    path("orders/<int:order_id>/ship/", order_views.order_ship_view, name="order_ship"),
    path("orders/<int:order_id>/cancel/", order_views.order_cancel_view, name="order_cancel"),
    path(
        "orders/<int:order_id>/cancel-request/",
        order_views.order_cancel_request_view,
        name="order_cancel_request",
    ),
    path(
        "orders/<int:order_id>/packing-slip/",
        order_views.order_packing_slip,
        name="order_packing_slip",
    ),
    path("shipping/", shipping_views.shipping, name="shipping"),
    path(
        "shipping/<int:shipping_template_id>/",
        shipping_views.shipping_template,
        name="shipping_template",
    ),
    path(
        "shipping/<int:shipping_template_id>/default/",
        shipping_views.shipping_template_default,
        name="shipping_template_default",
    ),
    path(
        "shipping/zones/<int:shipping_zone_id>/",
        shipping_views.shipping_zone,
        name="shipping_zone",
    ),
    *returns_urls,
    *analytics_urls,
    *inbox_urls,
    *finance_urls,
]

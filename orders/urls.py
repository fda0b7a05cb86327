from django.urls import path

from orders import views
from orders.views import orders as order_views
from orders.views import shipping_templates as shipping_views

app_name = "orders"

urlpatterns = [
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:order_id>/", views.order_detail, name="order_detail"),
    path("returns/", views.return_list, name="return_list"),
    path("analytics/", views.analytics, name="analytics"),
    path("analytics/traffic/", views.analytics_traffic, name="analytics_traffic"),
    path("analytics/conversion/", views.analytics_conversion, name="analytics_conversion"),
    path("analytics/best-sellers/", views.analytics_best_sellers, name="analytics_best_sellers"),
    path("analytics/customers/", views.analytics_customers, name="analytics_customers"),
    path("messages/", views.inbox, name="inbox"),
    path("finance/", views.finance, name="finance"),
    # Orders and fulfillment, shipping templates (issue 5)
    path("orders/export.csv", order_views.order_export, name="order_export"),
    path("orders/bulk-ship/", order_views.order_bulk_ship, name="order_bulk_ship"),
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
    # Returns, customer service and finance (issue 6).
    path("returns/policy/", views.return_policy, name="return_policy"),
    path("returns/<int:return_request_id>/", views.return_detail, name="return_detail"),
    path("returns/<int:return_request_id>/act/", views.return_act, name="return_act"),
    path("returns/photos/<int:return_photo_id>/", views.return_photo, name="return_photo"),
    path("messages/<int:conversation_id>/", views.inbox_conversation, name="inbox_conversation"),
    path("messages/<int:conversation_id>/read/", views.inbox_read, name="inbox_read"),
    path("messages/<int:conversation_id>/reply/", views.inbox_reply, name="inbox_reply"),
    path("messages/<int:conversation_id>/resolve/", views.inbox_resolve, name="inbox_resolve"),
    path("finance/withdraw/", views.finance_withdraw, name="finance_withdraw"),
    path("finance/statement/", views.finance_statement, name="finance_statement"),
]

from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:order_id>/", views.order_detail, name="order_detail"),
    path("returns/", views.return_list, name="return_list"),
    path("shipping/", views.shipping, name="shipping"),
    path("analytics/", views.analytics, name="analytics"),
    path("analytics/traffic/", views.analytics_traffic, name="analytics_traffic"),
    path("analytics/conversion/", views.analytics_conversion, name="analytics_conversion"),
    path("analytics/best-sellers/", views.analytics_best_sellers, name="analytics_best_sellers"),
    path("analytics/customers/", views.analytics_customers, name="analytics_customers"),
    path("messages/", views.inbox, name="inbox"),
    path("finance/", views.finance, name="finance"),
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

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
]

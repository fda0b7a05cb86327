"""Analytics pages, in the ``orders`` namespace (orders/urls.py), so every URL name stays as it was."""

from django.urls import path

from orders.analytics import views

urlpatterns = [
    path("analytics/", views.analytics, name="analytics"),
    path("analytics/traffic/", views.analytics_traffic, name="analytics_traffic"),
    path("analytics/conversion/", views.analytics_conversion, name="analytics_conversion"),
    path("analytics/best-sellers/", views.analytics_best_sellers, name="analytics_best_sellers"),
    path("analytics/customers/", views.analytics_customers, name="analytics_customers"),
    path("analytics/live/", views.analytics_live, name="analytics_live"),
]

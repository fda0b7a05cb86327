from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:order_id>/", views.order_detail, name="order_detail"),
    path("returns/", views.return_list, name="return_list"),
    path("shipping/", views.shipping, name="shipping"),
    path("analytics/", views.analytics, name="analytics"),
    path("messages/", views.inbox, name="inbox"),
    path("finance/", views.finance, name="finance"),
]

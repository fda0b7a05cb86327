"""Returns pages. Seller pages join the ``orders`` namespace (orders/urls.py); the buyer's page
joins ``orders_buyer`` (orders/buyer_urls.py), so every URL name stays as it was."""

from django.urls import path

from orders.returns import views

urlpatterns = [
    path("returns/", views.return_list, name="return_list"),
    path("returns/policy/", views.return_policy, name="return_policy"),
    path("returns/<int:return_request_id>/", views.return_detail, name="return_detail"),
    path("returns/<int:return_request_id>/act/", views.return_act, name="return_act"),
    path("returns/photos/<int:return_photo_id>/", views.return_photo, name="return_photo"),
]

buyer_urlpatterns = [
    path("<slug:store_slug>/orders/<str:token>/return/", views.buyer_returns, name="returns"),
]

"""The product's URLs plus the bench's reference views under /shops/<shop_slug>/_bench/ (the
same tenancy resolution as every seller page)."""

from django.urls import include, path

from bench import views as v
from bench.checkout_reference import reference_checkout
from sellercenter.urls import handler403, handler404, handler500  # noqa: F401
from sellercenter.urls import urlpatterns as product_urlpatterns

seller_patterns = [
    path("trivial/", v.trivial, name="bench_trivial"),
    path("ref/products/", v.ref_products, name="bench_ref_products"),
    path("ref/orders/", v.ref_orders, name="bench_ref_orders"),
    path("ref/orders/<int:order_id>/", v.ref_order_detail, name="bench_ref_order_detail"),
    path("ref/home/", v.ref_home, name="bench_ref_home"),
]

urlpatterns = [
    path("shops/<slug:shop_slug>/_bench/", include(seller_patterns)),
    path("_bench/store/<slug:store_slug>/checkout/", reference_checkout, name="bench_ref_checkout"),
    *product_urlpatterns,
]

from django.urls import path

from sellercenter import bench_views as v

# Mounted under /shops/<shop_slug>/_bench/ only when SELLERCENTER_BENCH=1.
seller_patterns = [
    path("trivial/", v.trivial, name="bench_trivial"),
    path("ref/products/", v.ref_products, name="bench_ref_products"),
    path("ref/orders/", v.ref_orders, name="bench_ref_orders"),
    path("ref/orders/<int:order_id>/", v.ref_order_detail, name="bench_ref_order_detail"),
    path("ref/home/", v.ref_home, name="bench_ref_home"),
]

# The bare view's own URLconf: served by a settings module with no middleware at all.
urlpatterns = [path("bare/", v.bare)]

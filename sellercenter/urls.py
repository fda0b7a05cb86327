from django.contrib import admin
from django.urls import include, path

from sellercenter import views

# Every seller page hangs under /shops/<shop_slug>/ — shops.tenancy resolves and scopes it.
seller_patterns = [
    path("", views.home, name="home"),
    path("products/", include("catalog.urls")),
    path("", include("orders.urls")),
    path("settings/", include("shops.urls")),
    path("lifecycle/", include("lifecycle.urls")),
]

urlpatterns = [
    path("", views.landing, name="landing"),
    path("accounts/", include("allauth.urls")),
    path("shops/", views.shop_picker, name="shop_picker"),
    path("shops/<slug:shop_slug>/", include(seller_patterns)),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]

handler404 = "sellercenter.views.page_not_found"
handler403 = "sellercenter.views.permission_denied"
handler500 = "sellercenter.views.server_error"

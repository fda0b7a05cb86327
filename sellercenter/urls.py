from django.contrib import admin
from django.urls import include, path

from catalog.views.media import media_file
from openplatform.api import urls as api_urls
from openplatform.api.views import api_not_found
from openplatform.oauth_urls import urlpatterns as oauth_patterns
from sellercenter import views
from shops.onboarding.views import shop_start

# Every seller page hangs under /shops/<shop_slug>/ — shops.tenancy resolves and scopes it.
seller_patterns = [
    path("", views.home, name="home"),
    path("products/", include("catalog.urls")),
    path("", include("orders.urls")),
    path("settings/", include("shops.urls")),
    # Settings → Apps: private and partner apps using the shop's API (openplatform).
    path("settings/apps/", include("openplatform.urls")),
    # Onboarding wizard and the shop's standing (probation, program eligibility).
    path("onboarding/", include("shops.onboarding.urls")),
    path("standing/", include("lifecycle.standing_urls")),
    path("lifecycle/", include("lifecycle.urls")),
    # Discounts, coupons and campaign registrations.
    path("marketing/", include("orders.marketing.urls")),
    # Help (answers + contact form opening a support ticket).
    path("help/", include("shops.help_urls")),
]

urlpatterns = [
    path("", views.landing, name="landing"),
    path("accounts/", include("allauth.urls")),
    path("shops/", views.shop_picker, name="shop_picker"),
    path("shops/<slug:shop_slug>/", include(seller_patterns)),
    # Buyer-facing return and message pages, reached by signed links (orders).
    path("store/", include("orders.buyer_urls")),
    path("admin/", admin.site.urls),
    # The Open Platform's REST API (token = shop scope), its OpenAPI document and reference.
    path("api/v1/", api_urls),
    path("api/v1/<path:rest>", api_not_found),
    # OAuth 2.0 for partner apps: choose the shop, then its consent page; token and revoke.
    path("oauth/", include((oauth_patterns, "oauth"))),
    path("healthz", views.healthz, name="healthz"),
    # Browsers (and the admin's pages, which have no <link rel="icon">) ask for /favicon.ico.
    path("favicon.ico", views.favicon, name="favicon"),
    # Account security (2FA, re-authentication, account type): the person's pages, not a shop's.
    path("account/", include("accounts.urls")),
    # "Set up your shop" and the verification reviewers' queue (not seller pages).
    path("setup/", shop_start, name="shop_start"),
    path("review/", include("shops.review.urls")),
    # Public storefront (/store/<store_slug>/…) and the carrier webhook.
    path("", include("orders.public_urls")),
    # Public product images (catalog): served by a view so it works with DEBUG off too.
    path("media/<path:path>", media_file, name="media"),
]

handler404 = "sellercenter.views.page_not_found"
handler403 = "sellercenter.views.permission_denied"
handler500 = "sellercenter.views.server_error"

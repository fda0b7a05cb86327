"""Public buyer pages for returns and messages, under /store/<store_slug>/ (no shop_slug kwarg:
these are not seller pages and the tenancy middleware must not ask for a sign-in)."""

from orders.inbox.urls import buyer_urlpatterns as inbox_urls
from orders.returns.urls import buyer_urlpatterns as returns_urls

app_name = "orders_buyer"

urlpatterns = [*returns_urls, *inbox_urls]

"""The Open Platform's REST API, /api/v1/: django-ninja, typed by pydantic schemas, its OpenAPI 3
document generated at /api/v1/openapi.json and its reference page at /api/v1/docs (Swagger UI
served from the package's own static files: no CDN).

Every operation runs through ``access.api_access`` (token → app → shop scope, rate limit,
Idempotency-Key) and answers errors as RFC 9457 problem documents (``errors``). Resources call
the same selectors and services as the seller pages.
"""

from ninja import NinjaAPI

from openplatform.api import errors
from openplatform.api.access import TokenAuth, api_access
from openplatform.api.resources import orders, products, returns, shipping, shop, webhooks
from openplatform.api.views import problem_urls

api = NinjaAPI(
    title="Seller Center Open Platform",
    version="1",
    description=(
        "One shop's products, stock, orders, returns, shipping templates and standing. "
        "Authenticate with `Authorization: Bearer <token>`; see docs/api.md."
    ),
    urls_namespace="api-v1",
    auth=TokenAuth(),
)
api.add_decorator(api_access, mode="view")
errors.install(api)
api.add_router("/", shop.router)
api.add_router("/", products.router)
api.add_router("/", orders.router)
api.add_router("/", returns.router)
api.add_router("/", shipping.router)
api.add_router("/", webhooks.router)

# What sellercenter/urls.py mounts at /api/v1/: every answer, ninja's own 405 included, a problem.
urls = problem_urls(api.urls)

"""The public storefront: /store/<store_slug>/… (no sign-in; buyers have no accounts).

Checkout is a JSON endpoint that keeps Django's CSRF check: the storefront page is same-origin,
its script sends the CSRF token as a header, and another site cannot place orders through a
visitor's browser. Each rendered cart carries a fresh ``checkout_key``, so a retried or
double-clicked submit returns the order already made instead of a second one.
"""

import json
import secrets
import uuid
from decimal import Decimal
from urllib.parse import urlparse

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_scopes import scope

from accounts.audit import client_ip
from catalog.models import SKU, Product
from common.errors import BadInput, DomainError
from common.policy import POLICY
from common.throttle import attempt_count, attempts_over
from orders.buyer_links import buyer_link_page, buyer_order_token, order_from_buyer_token
from orders.marketing.selectors import promotional_prices
from orders.models import Visit
from orders.models.shipping import US_STATES
from orders.selectors import order_view
from orders.services.checkout import Buyer, CartLine, checkout_place
from orders.services.fulfillment.cancel import cancel_request_create
from orders.services.shipping import QuoteItem, shipping_quote
from orders.services.storefront import visit_record
from shops.models import Shop

CART_KEY = "store_cart"


SOURCE_KEY = "store_source"


def _shop(store_slug: str, *, must_be_active: bool = True) -> Shop:
    shop = get_object_or_404(Shop.objects.exclude(status=Shop.Status.DELETED), slug=store_slug)
    if must_be_active and not shop.is_active:
        raise Http404("This shop is not open.")
    return shop


def _visitor(request) -> str:
    if "visitor" not in request.session:
        request.session["visitor"] = secrets.token_hex(12)
    return request.session["visitor"]


def _source(request) -> str:
    """The traffic source: ?src= when a link says so, else external for off-site referrers."""
    src = request.GET.get("src", "")
    if src in Visit.Source.values:
        request.session[SOURCE_KEY] = src
        return src
    referer = urlparse(request.META.get("HTTP_REFERER", ""))
    if referer.netloc and referer.netloc != request.get_host():
        request.session[SOURCE_KEY] = Visit.Source.EXTERNAL
        return Visit.Source.EXTERNAL
    return request.session.get(SOURCE_KEY, Visit.Source.EXTERNAL)


def _cart(request, shop: Shop) -> dict[str, int]:
    return dict(request.session.get(CART_KEY, {}).get(str(shop.pk), {}))


def _save_cart(request, shop: Shop, cart: dict[str, int]) -> None:
    carts = request.session.get(CART_KEY, {})
    carts[str(shop.pk)] = cart
    request.session[CART_KEY] = carts


@require_GET
def store_home(request, store_slug):
    shop = _shop(store_slug, must_be_active=False)
    if not shop.is_active:
        return render(request, "orders/store/store_closed.html", {"shop": shop}, status=404)
    with scope(shop=shop):
        visit_record(
            shop=shop, product=None, visitor_key=_visitor(request), source=_source(request)
        )
        products = list(
            Product.objects.filter(shop=shop, status=Product.Status.LIVE)
            .prefetch_related("skus")
            .order_by("-updated_at", "-id")[:60]
        )
        promos = promotional_prices(
            shop=shop, skus=[s for product in products for s in product.skus.all()]
        )
        for product in products:
            # The cheapest option, at its promotional price, the regular one struck.
            offers = [promos[s.pk] for s in product.skus.all() if s.pk in promos]
            best = min(offers, key=lambda o: (o.price, o.regular)) if offers else None
            product.from_price = best.price if best else None
            product.was_price = best.regular if best and best.reduced else None
            product.live = any(o.live_pin is not None for o in offers)
        return render(
            request,
            "orders/store/store_home.html",
            {"shop": shop, "products": products, "cart_count": sum(_cart(request, shop).values())},
        )


@require_GET
def store_product(request, store_slug, product_id: int):
    shop = _shop(store_slug)
    with scope(shop=shop):
        product = get_object_or_404(
            Product.objects.filter(shop=shop, status=Product.Status.LIVE), pk=product_id
        )
        visit_record(
            shop=shop, product=product, visitor_key=_visitor(request), source=_source(request)
        )
        skus = list(product.skus.all())
        promos = promotional_prices(shop=shop, skus=skus)
        for sku in skus:
            sku.promo = promos.get(sku.pk)
        return render(
            request,
            "orders/store/store_product.html",
            {
                "shop": shop,
                "product": product,
                "skus": skus,
                "cart_count": sum(_cart(request, shop).values()),
            },
        )


def store_cart(request, store_slug):
    shop = _shop(store_slug)
    with scope(shop=shop):
        cart = _cart(request, shop)
        error = ""
        if request.method == "POST":
            try:
                sku_id = int(request.POST.get("sku_id", ""))
                quantity = int(request.POST.get("quantity", "1"))
            except ValueError:
                sku_id, quantity = 0, 0
            action = request.POST.get("action", "add")
            sku = SKU.objects.filter(
                shop=shop, pk=sku_id, product__status=Product.Status.LIVE
            ).first()
            if sku is None:
                error = "That item is not available."
            elif action == "remove" or (action == "set" and quantity == 0):
                cart.pop(str(sku_id), None)
            elif quantity <= 0:
                error = "Quantities must be at least 1."
            else:
                cart[str(sku_id)] = (
                    cart.get(str(sku_id), 0) + quantity if action == "add" else quantity
                )
            if not error:
                _save_cart(request, shop, cart)
                return redirect("store:cart", store_slug=shop.slug)
        skus = {
            s.pk: s
            for s in SKU.objects.filter(shop=shop, pk__in=[int(k) for k in cart]).select_related(
                "product"
            )
        }
        promos = promotional_prices(shop=shop, skus=list(skus.values()))
        lines = [
            {
                "sku": skus[int(k)],
                "quantity": q,
                "promo": promos.get(int(k)),
                "total": promos[int(k)].price * q if int(k) in promos else Decimal("0"),
                "regular_total": (skus[int(k)].price or Decimal("0")) * q,
            }
            for k, q in cart.items()
            if int(k) in skus
        ]
        subtotal = sum((line["regular_total"] for line in lines), Decimal("0"))
        items_total = sum((line["total"] for line in lines), Decimal("0"))
        return render(
            request,
            "orders/store/store_cart.html",
            {
                "shop": shop,
                "lines": lines,
                "subtotal": subtotal,
                "items_total": items_total,
                "savings": subtotal - items_total,
                "states": US_STATES,
                "checkout_key": uuid.uuid4().hex,
                "error": error,
                "cart_count": sum(cart.values()),
            },
            status=400 if error else 200,
        )


@require_GET
def store_quote(request, store_slug):
    """The shipping quote for the session cart and a state (htmx fragment on the cart page)."""
    shop = _shop(store_slug)
    with scope(shop=shop):
        cart = _cart(request, shop)
        skus = SKU.objects.filter(shop=shop, pk__in=[int(k) for k in cart])
        items = [
            QuoteItem(
                product_id=s.product_id,
                quantity=cart[str(s.pk)],
                unit_price=s.price,
                weight_grams=s.weight_grams or 0,
            )
            for s in skus
        ]
        quote, error = None, ""
        try:
            quote = shipping_quote(shop=shop, state=request.GET.get("state", ""), items=items)
        except DomainError as exc:
            error = exc.message
        return render(request, "orders/store/store_quote.html", {"quote": quote, "error": error})


@require_POST
def store_checkout(request, store_slug):
    """JSON: {"items": [{"sku_id", "quantity"}], "buyer": {...}, "checkout_key", "coupon"} → 201 with the
    order's number and buyer page, or 4xx {"error", "field"} with nothing written."""
    shop = get_object_or_404(Shop.objects.exclude(status=Shop.Status.DELETED), slug=store_slug)
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError
        items = payload.get("items") or []
        buyer = payload.get("buyer") or {}
        if not isinstance(items, list) or not isinstance(buyer, dict):
            raise ValueError
        lines = [CartLine(sku_id=i.get("sku_id"), quantity=i.get("quantity")) for i in items]
    except (ValueError, AttributeError):
        return JsonResponse({"error": "Send a JSON object with items and buyer."}, status=400)
    coupon_code = str(payload.get("coupon") or payload.get("coupon_code") or "")[:40]
    guards = _coupon_guards(request, shop) if coupon_code.strip() else []
    window = POLICY.coupon_failure_window_minutes * 60
    if any(attempts_over(key, limit, window) for key, limit in guards):
        return JsonResponse(
            {
                "error": "Too many coupon codes tried. Try again in "
                f"{POLICY.coupon_failure_window_minutes} minutes, or check out without one.",
                "field": "coupon",
            },
            status=429,
        )
    with scope(shop=shop):
        # A refusal leaves as {"error", "field"} with its 4xx (common.errors), nothing written.
        try:
            order, created = checkout_place(
                shop=shop,
                lines=lines,
                buyer=Buyer(**{k: str(buyer.get(k, "") or "") for k in Buyer.__dataclass_fields__}),
                traffic_source=request.session.get(SOURCE_KEY, ""),
                checkout_key=payload.get("checkout_key") or None,
                coupon_code=coupon_code,
            )
        except DomainError as refused:
            if refused.field == "coupon":
                for key, _ in guards:
                    attempt_count(key, window)
            raise
        if _cart(request, shop):
            # Only a cart that exists is emptied: an API buyer without one gets no session row.
            _save_cart(request, shop, {})
        url = reverse(
            "store:buyer_order",
            kwargs={"store_slug": shop.slug, "token": buyer_order_token(order)},
        )
        return JsonResponse(
            {
                "order_number": order.number,
                "status": order.status,
                "subtotal": str(order.subtotal),
                "shipping_fee": str(order.shipping_fee),
                "discount": str(order.discount),
                "total": str(order.total),
                "order_url": url,
            },
            status=201 if created else 200,
        )


@buyer_link_page
def store_buyer_order(request, store_slug, token):
    """The buyer's order page, reached only through the signed link in their email."""
    shop = _shop(store_slug, must_be_active=False)
    with scope(shop=shop):
        order = order_from_buyer_token(shop, token)
        error, status = "", 200
        if request.method == "POST":
            try:
                if request.POST.get("action") != "cancel":
                    raise BadInput("Unknown action.")
                cancel_request_create(shop=shop, order=order, reason=request.POST.get("reason", ""))
            except DomainError as exc:
                error, status = exc.message, exc.status_code
            else:
                return redirect(request.path)
        return render(
            request,
            "orders/store/store_buyer_order.html",
            {
                "shop": shop,
                "view": order_view(order),
                "order": order,
                "error": error,
                "token": token,
            },
            status=status,
        )


def buyer_post_throttled(request, shop: Shop) -> bool:
    """Buyers are anonymous: cap their posts per address and shop per hour (inbox spam)."""
    if request.method != "POST":
        return False
    key = f"orders:buyer-posts:{shop.pk}:{client_ip(request) or '-'}"
    return attempt_count(key, 3600) > POLICY.buyer_posts_per_hour


def _coupon_guards(request, shop: Shop) -> list[tuple[str, int]]:
    """The counters a coupon code that fails at checkout counts against: the address, and the
    cart (the session holding it; an API client without one is counted by address only)."""
    guards = [(f"coupons:ip:{shop.pk}:{client_ip(request) or '-'}", POLICY.coupon_failures_per_ip)]
    if request.session.session_key:
        cart = f"coupons:cart:{shop.pk}:{request.session.session_key}"
        guards.append((cart, POLICY.coupon_failures_per_cart))
    return guards


def too_many_posts() -> HttpResponse:
    return HttpResponse(
        "Too many messages from your connection; please try again in an hour.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )


def store_or_404(slug: str) -> Shop:
    return get_object_or_404(Shop.objects.exclude(status=Shop.Status.DELETED), slug=slug)

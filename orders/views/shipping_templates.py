"""Shipping templates: list and create, edit a template and its zones, preview a quote."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from common.errors import BadInput, DomainError
from orders.models import ProductShipping, ShippingTemplate, ShippingZone
from orders.models.shipping import US_STATES
from orders.selectors import (
    access_shipping_template,
    access_shipping_zone,
    shipping_template_list,
)
from orders.services.shipping import (
    QuoteItem,
    product_shipping_set,
    shipping_quote,
    shipping_template_make_default,
    shipping_template_save,
    shipping_zone_delete,
    shipping_zone_save,
    unzoned_states,
)
from shops import permissions as p
from shops.tenancy import shop_view


def _money(value: str, label: str, *, optional: bool = False) -> Decimal | None:
    value = (value or "").strip().lstrip("$")
    if not value:
        if optional:
            return None
        value = "0"
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise BadInput(f"{label} must be an amount like 4.99.") from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("100000"):
        raise BadInput(f"{label} must be an amount between 0 and 100,000.")
    return amount.quantize(Decimal("0.01"))


def _int(value: str, label: str, default: int = 0) -> int:
    try:
        return int(value) if (value or "").strip() else default
    except ValueError:
        raise BadInput(f"{label} must be a whole number.") from None


def _template_kwargs(post) -> dict:
    return {
        "name": post.get("name", ""),
        "free_shipping_threshold": _money(
            post.get("free_shipping_threshold"), "Free shipping threshold", optional=True
        ),
        "discount_percent": _int(post.get("discount_percent"), "Discounted shipping"),
        "platform_shipping": post.get("platform_shipping", ""),
    }


@shop_view(p.SHIPPING)
def shipping(request, shop_slug):
    error, status = "", 200
    if request.method == "POST":
        try:
            template = shipping_template_save(
                shop=request.shop,
                actor=request.user,
                make_default=request.POST.get("is_default") == "on",
                **_template_kwargs(request.POST),
            )
        except DomainError as exc:
            error, status = exc.message, exc.status_code
        else:
            messages.success(request, f"Template “{template.name}” created. Now add its zones.")
            return redirect(
                "orders:shipping_template", shop_slug=shop_slug, shipping_template_id=template.pk
            )
    return render(
        request,
        "orders/shipping_list.html",
        {
            "templates": shipping_template_list(shop=request.shop),
            "error": error,
            "posted": request.POST,
            "platform_choices": ShippingTemplate.PlatformShipping.choices,
        },
        status=status,
    )


def _zone_kwargs(post) -> dict:
    tiers = []
    for raw in (post.get("weight_tiers") or "").splitlines():
        if not raw.strip():
            continue
        grams, _, rate = raw.partition("=")
        tiers.append(
            {
                "up_to_grams": _int(grams.strip(), "A tier's weight limit"),
                "rate": _money(rate, "A tier's rate"),
            }
        )
    return {
        "name": post.get("name", ""),
        "states": post.getlist("states"),
        "rate_type": post.get("rate_type", ""),
        "flat_rate": _money(post.get("flat_rate"), "Flat rate"),
        "first_item_rate": _money(post.get("first_item_rate"), "First item rate"),
        "additional_item_rate": _money(post.get("additional_item_rate"), "Additional item rate"),
        "weight_tiers": tiers,
        "min_days": _int(post.get("min_days"), "Minimum days", 2),
        "max_days": _int(post.get("max_days"), "Maximum days", 5),
    }


@shop_view(p.SHIPPING)
def shipping_template(request, shop_slug, shipping_template_id: int):
    template = access_shipping_template(request.shop, shipping_template_id)
    error, error_form, status = "", "", 200
    if request.method == "POST":
        form = request.POST.get("form")
        try:
            if form in ("product", "product_remove"):
                product_shipping_set(
                    shop=request.shop,
                    actor=request.user,
                    product_id=_int(request.POST.get("product_id"), "Product ID", -1),
                    template=template if form == "product" else None,
                )
                messages.success(
                    request,
                    "Product now uses this template."
                    if form == "product"
                    else "Product uses the default template again.",
                )
            elif form == "template":
                shipping_template_save(
                    shop=request.shop,
                    actor=request.user,
                    template=template,
                    make_default=request.POST.get("is_default") == "on",
                    **_template_kwargs(request.POST),
                )
                messages.success(request, "Template saved.")
            else:
                zone = shipping_zone_save(
                    shop=request.shop,
                    actor=request.user,
                    template=template,
                    **_zone_kwargs(request.POST),
                )
                messages.success(request, f"Zone “{zone.name}” added.")
        except DomainError as exc:
            error, error_form, status = exc.message, form or "zone", exc.status_code
        else:
            return redirect(request.path)
    draft = None
    if error_form == "zone":  # show the seller what they typed, not an empty form
        post = request.POST
        draft = ShippingZone(
            name=post.get("name", ""),
            states=post.getlist("states"),
            rate_type=post.get("rate_type", ""),
            flat_rate=post.get("flat_rate", ""),
            first_item_rate=post.get("first_item_rate", ""),
            additional_item_rate=post.get("additional_item_rate", ""),
            min_days=post.get("min_days", ""),
            max_days=post.get("max_days", ""),
        )
    quote, quote_error = None, ""
    if request.GET.get("state"):
        quote, quote_error = _preview(request, template)
    context = {
        "template": template,
        "products": list(
            ProductShipping.objects.filter(shop=request.shop, template=template)
            .select_related("product")
            .order_by("product__title")[:100]
        ),
        "zones": list(template.zones.all()),
        "states": US_STATES,
        "rate_types": ShippingZone.RateType.choices,
        "platform_choices": ShippingTemplate.PlatformShipping.choices,
        "error": error,
        "error_form": error_form,
        "posted": request.POST,
        "draft_zone": draft,
        "draft_tiers": request.POST.get("weight_tiers", ""),
        "quote": quote,
        "quote_error": quote_error,
        "preview": request.GET,
    }
    context["unzoned"] = unzoned_states(context["zones"])
    if request.htmx and request.GET.get("state"):
        return render(request, "orders/shipping_template.html#quote-result", context)
    return render(request, "orders/shipping_template.html", context, status=status)


def _preview(request, template):
    try:
        quantity = _int(request.GET.get("quantity"), "Items", 1)
        if quantity < 1 or quantity > 999:
            raise BadInput("Items must be between 1 and 999.")
        subtotal = _money(request.GET.get("subtotal"), "Order subtotal")
        weight = _int(request.GET.get("weight"), "Weight")
        items = [QuoteItem(product_id=None, quantity=1, unit_price=subtotal, weight_grams=weight)]
        if quantity > 1:
            items.append(QuoteItem(product_id=None, quantity=quantity - 1, unit_price=Decimal(0)))
        quote = shipping_quote(
            shop=request.shop, state=request.GET.get("state", ""), items=items, template=template
        )
        return quote, ""
    except DomainError as exc:
        return None, exc.message


@shop_view(p.SHIPPING)
def shipping_template_default(request, shop_slug, shipping_template_id: int):
    template = access_shipping_template(request.shop, shipping_template_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    shipping_template_make_default(shop=request.shop, actor=request.user, template=template)
    messages.success(request, f"“{template.name}” is now the default template.")
    return redirect("orders:shipping", shop_slug=shop_slug)


@shop_view(p.SHIPPING)
def shipping_zone(request, shop_slug, shipping_zone_id: int):
    zone = access_shipping_zone(request.shop, shipping_zone_id)
    template = zone.template
    error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("form") == "delete":
                shipping_zone_delete(shop=request.shop, actor=request.user, zone=zone)
                messages.success(request, f"Zone “{zone.name}” deleted.")
            else:
                shipping_zone_save(
                    shop=request.shop,
                    actor=request.user,
                    template=template,
                    zone=zone,
                    **_zone_kwargs(request.POST),
                )
                messages.success(request, f"Zone “{zone.name}” saved.")
        except DomainError as exc:
            error, status = exc.message, exc.status_code
        else:
            return redirect(
                "orders:shipping_template", shop_slug=shop_slug, shipping_template_id=template.pk
            )
    return render(
        request,
        "orders/shipping_zone.html",
        {
            "zone": zone,
            "template": template,
            "states": US_STATES,
            "rate_types": ShippingZone.RateType.choices,
            "tiers_text": "\n".join(f"{t['up_to_grams']}={t['rate']}" for t in zone.weight_tiers),
            "error": error,
        },
        status=status,
    )

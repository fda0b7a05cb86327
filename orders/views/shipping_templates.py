"""Shipping templates: list and create, edit a template and its zones, preview a quote."""

from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from catalog.models import Product
from common.errors import DomainError, submit
from orders.forms import (
    ProductShippingForm,
    QuotePreviewForm,
    ShippingTemplateForm,
    ShippingZoneForm,
)
from orders.models import ShippingTemplate, ShippingZone
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


@shop_view(p.SHIPPING)
def shipping(request, shop_slug):
    form = ShippingTemplateForm(request.POST or None)
    done = submit(
        form,
        lambda _: shipping_template_save(
            shop=request.shop, actor=request.user, **form.service_kwargs()
        ),
    )
    if done.ok:
        template = done.result
        messages.success(request, f"Template “{template.name}” created. Now add its zones.")
        return _template_page(shop_slug, template)
    return render(
        request,
        "orders/shipping_list.html",
        {
            "templates": shipping_template_list(shop=request.shop),
            "template_form": form,
            "platform_choices": ShippingTemplate.PlatformShipping.choices,
        },
        status=done.status,
    )


@shop_view(p.SHIPPING)
def shipping_template(request, shop_slug, shipping_template_id: int):
    """The template page holds three forms (named by the posted ``form``): the template's
    settings, a new zone, and a product to point at (or away from) this template."""
    template = access_shipping_template(request.shop, shipping_template_id)
    posted = request.POST.get("form", "zone") if request.method == "POST" else None
    kind = {"template": "template", "product": "product", "product_remove": "product"}.get(
        posted, "zone" if posted else None
    )
    forms = {k: _form(k, None, request, template) for k in ("template", "zone", "product")}
    failed, status = None, 200
    if kind:
        form = forms[kind] = _form(kind, request.POST, request, template)
        done = submit(form, lambda _: _save(request, template, posted, form))
        if done.ok:
            return redirect(request.path)
        failed, status = form, done.status
    quote_form = QuotePreviewForm(request.GET) if request.GET.get("state") else None
    context = {
        "template": template,
        "products": list(
            Product.objects.filter(shop=request.shop, shipping_template_id=template.pk)
            .exclude(status=Product.Status.DELETED)
            .order_by("title", "id")
            .only("pk", "title")[:100]
        ),
        "zones": list(template.zones.all()),
        "states": US_STATES,
        "rate_types": ShippingZone.RateType.choices,
        "platform_choices": ShippingTemplate.PlatformShipping.choices,
        "failed": failed,
        "template_form": forms["template"],
        "zone_form": forms["zone"],
        "preview": request.GET,
        **_preview(request, template, quote_form),
    }
    context["unzoned"] = unzoned_states(context["zones"])
    if request.htmx and quote_form is not None:
        return render(request, "orders/shipping_template.html#quote-result", context)
    return render(request, "orders/shipping_template.html", context, status=status)


def _template_page(shop_slug: str, template):
    return redirect(
        "orders:shipping_template", shop_slug=shop_slug, shipping_template_id=template.pk
    )


def _form(kind: str, data, request, template):
    if kind == "template":
        return ShippingTemplateForm(data, template=template)
    if kind == "product":
        return ProductShippingForm(data, shop=request.shop)
    return ShippingZoneForm(data)


def _save(request, template, posted: str | None, form) -> None:
    if posted in ("product", "product_remove"):
        product_shipping_set(
            shop=request.shop,
            actor=request.user,
            product_id=form.cleaned_data["product_id"].pk,
            template=template if posted == "product" else None,
        )
        messages.success(
            request,
            "Product now uses this template."
            if posted == "product"
            else "Product uses the default template again.",
        )
    elif posted == "template":
        shipping_template_save(
            shop=request.shop, actor=request.user, template=template, **form.service_kwargs()
        )
        messages.success(request, "Template saved.")
    else:
        zone = shipping_zone_save(
            shop=request.shop, actor=request.user, template=template, **form.cleaned_data
        )
        messages.success(request, f"Zone “{zone.name}” added.")


def _preview(request, template, form: QuotePreviewForm | None) -> dict:
    if form is None:
        return {"quote": None, "quote_error": ""}
    if not form.is_valid():
        return {
            "quote": None,
            "quote_error": " ".join(e for es in form.errors.values() for e in es),
        }
    data = form.cleaned_data
    items = [
        QuoteItem(
            product_id=None, quantity=1, unit_price=data["subtotal"], weight_grams=data["weight"]
        )
    ]
    if data["quantity"] > 1:
        items.append(
            QuoteItem(product_id=None, quantity=data["quantity"] - 1, unit_price=Decimal(0))
        )
    try:
        quote = shipping_quote(
            shop=request.shop, state=data["state"], items=items, template=template
        )
    except DomainError as exc:
        return {"quote": None, "quote_error": exc.message}
    return {"quote": quote, "quote_error": ""}


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
    if request.POST.get("form") == "delete":
        shipping_zone_delete(shop=request.shop, actor=request.user, zone=zone)
        messages.success(request, f"Zone “{zone.name}” deleted.")
        return _template_page(shop_slug, template)
    form = ShippingZoneForm(request.POST or None, zone=zone)
    done = submit(
        form,
        lambda data: shipping_zone_save(
            shop=request.shop, actor=request.user, template=template, zone=zone, **data
        ),
    )
    if done.ok:
        messages.success(request, f"Zone “{zone.name}” saved.")
        return _template_page(shop_slug, template)
    return render(
        request,
        "orders/shipping_zone.html",
        {
            "zone": zone,
            "template": template,
            "states": US_STATES,
            "rate_types": ShippingZone.RateType.choices,
            "zone_form": form,
        },
        status=done.status,
    )

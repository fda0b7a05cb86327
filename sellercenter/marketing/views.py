"""Seller Marketing pages: one overview with tabs, create / edit / end forms, CSV exports."""

import csv
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from catalog.models import SKU
from catalog.selectors_promotions import (
    access_campaign,
    access_campaign_product,
    access_discount,
    campaign_list_visible,
    campaign_registration_list,
    discount_list,
    promotable_products,
)
from catalog.services.promotions import (
    campaign_product_register,
    campaign_product_withdraw,
    discount_end,
    discount_save,
)
from common.clock import from_local_input, to_local_input
from lifecycle.eligibility import shop_is_eligible
from orders.models import Coupon, OrderPromotion
from orders.selectors_marketing import (
    Performance,
    access_coupon,
    campaign_product_performance,
    coupon_list,
    promotion_performance,
)
from orders.services.coupons import coupon_end, coupon_save
from orders.services.errors import OrderError
from shops import permissions as p
from shops.tenancy import shop_view

TABS = ("coupons", "discounts", "campaigns")
FORM_PRODUCTS = 500  # the discount form lists at most this many products


class BadInput(Exception):
    pass


# --- overview ----------------------------------------------------------------------------------
@shop_view(p.MARKETING)
@require_GET
def marketing_overview(request, shop_slug):
    tab = request.GET.get("tab", "coupons")
    if tab not in TABS:
        tab = "coupons"
    context = {"tab": tab, "now": timezone.now()}
    if tab == "coupons":
        context["coupons"] = _coupon_rows(request.shop)
    elif tab == "discounts":
        context["discounts"] = _discount_rows(request.shop)
    else:
        context.update(_campaign_context(request.shop))
    return render(request, "sellercenter/marketing_overview.html", context)


def _coupon_rows(shop):
    stats = promotion_performance(shop=shop, kind=OrderPromotion.Kind.COUPON)
    rows = list(coupon_list(shop=shop))
    for c in rows:
        c.perf = stats.get(c.pk, Performance())
    return rows


def _discount_rows(shop):
    stats = promotion_performance(shop=shop, kind=OrderPromotion.Kind.DISCOUNT)
    rows = list(discount_list(shop=shop))
    for d in rows:
        d.perf = stats.get(d.pk, Performance())
    return rows


def _campaign_context(shop) -> dict:
    now = timezone.now()
    stats = campaign_product_performance(shop=shop)
    registrations = list(campaign_registration_list(shop=shop))
    regular = _regular_prices(shop, [r.product_id for r in registrations])
    for r in registrations:
        r.perf = stats.get((r.campaign_id, r.product_id), Performance())
        r.regular = regular.get(r.product_id)
    campaigns = list(campaign_list_visible(now=now))
    for c in campaigns:
        c.is_open = c.registration_open(now)
        c.is_running = c.running(now)
    return {
        "campaigns": campaigns,
        "registrations": registrations,
        "eligible": shop_is_eligible(shop),
    }


# --- coupons -----------------------------------------------------------------------------------
@shop_view(p.MARKETING)
def coupon_create(request, shop_slug):
    return _coupon_form(request, None)


@shop_view(p.MARKETING)
def coupon_edit(request, shop_slug, coupon_id: int):
    return _coupon_form(request, access_coupon(request.shop, coupon_id))


def _coupon_form(request, coupon: Coupon | None):
    values = _coupon_values(coupon)
    error, status = "", 200
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            saved = coupon_save(
                shop=request.shop,
                actor=request.user,
                coupon=coupon,
                code=values["code"],
                kind=values["kind"],
                value=_decimal(values["value"], "Value"),
                min_spend=_decimal(values["min_spend"], "Minimum spend", optional=True),
                starts_at=_moment(values["starts_at"], "Start"),
                ends_at=_moment(values["ends_at"], "End"),
                usage_limit=_whole(values["usage_limit"], "Total usage limit"),
                per_buyer_limit=_whole(values["per_buyer_limit"], "Usage limit per buyer"),
            )
        except BadInput as exc:
            error, status = str(exc), 400
        except OrderError as exc:
            error, status = exc.message, exc.status_code
        else:
            messages.success(request, f"Coupon {saved.code} saved.")
            return redirect(_tab_url(request, "coupons"))
    return render(
        request,
        "sellercenter/marketing_coupon_form.html",
        {"coupon": coupon, "values": values, "error": error, "kinds": Coupon.Kind.choices},
        status=status,
    )


def _coupon_values(coupon: Coupon | None) -> dict[str, str]:
    if coupon is None:
        now = timezone.now()
        return {
            "code": "",
            "kind": "percent",
            "value": "",
            "min_spend": "",
            "starts_at": to_local_input(now),
            "ends_at": to_local_input(now + timedelta(days=30)),
            "usage_limit": "",
            "per_buyer_limit": "1",
        }
    return {
        "code": coupon.code,
        "kind": coupon.kind,
        "value": str(coupon.value),
        "min_spend": str(coupon.min_spend) if coupon.min_spend else "",
        "starts_at": to_local_input(coupon.starts_at),
        "ends_at": to_local_input(coupon.ends_at),
        "usage_limit": "" if coupon.usage_limit is None else str(coupon.usage_limit),
        "per_buyer_limit": "" if coupon.per_buyer_limit is None else str(coupon.per_buyer_limit),
    }


@shop_view(p.MARKETING)
def coupon_end_view(request, shop_slug, coupon_id: int):
    coupon = access_coupon(request.shop, coupon_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        coupon_end(shop=request.shop, actor=request.user, coupon=coupon)
    except OrderError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Coupon {coupon.code} has ended.")
    return redirect(_tab_url(request, "coupons"))


@shop_view(p.MARKETING)
@require_GET
def coupon_export(request, shop_slug):
    now = timezone.now()
    rows = [
        [
            c.code,
            c.get_kind_display(),
            c.value,
            c.min_spend,
            to_local_input(c.starts_at, " "),
            to_local_input(c.ends_at, " "),
            "" if c.usage_limit is None else c.usage_limit,
            "" if c.per_buyer_limit is None else c.per_buyer_limit,
            c.uses,
            c.status(now),
            c.perf.orders,
            c.perf.revenue,
            c.perf.saved,
        ]
        for c in _coupon_rows(request.shop)
    ]
    header = [
        "code",
        "type",
        "value",
        "minimum spend",
        "starts",
        "ends",
        "usage limit",
        "per-buyer limit",
        "uses",
        "status",
        "orders",
        "revenue",
        "discount given",
    ]
    return _csv(request, "coupons", header, rows)


# --- discounts ---------------------------------------------------------------------------------
@shop_view(p.MARKETING)
def discount_create(request, shop_slug):
    return _discount_form(request, None)


@shop_view(p.MARKETING)
def discount_edit(request, shop_slug, discount_id: int):
    return _discount_form(request, access_discount(request.shop, discount_id))


def _discount_form(request, discount):
    products = list(promotable_products(shop=request.shop)[:FORM_PRODUCTS])
    if discount is None:
        now = timezone.now()
        values = {
            "name": "",
            "kind": "percent",
            "value": "",
            "starts_at": to_local_input(now),
            "ends_at": to_local_input(now + timedelta(days=7)),
        }
        chosen: set[int] = set()
    else:
        values = {
            "name": discount.name,
            "kind": discount.kind,
            "value": str(discount.value),
            "starts_at": to_local_input(discount.starts_at),
            "ends_at": to_local_input(discount.ends_at),
        }
        chosen = {pr.pk for pr in discount.products.all()}
    error, status = "", 200
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        chosen = {int(v) for v in request.POST.getlist("products") if v.isdigit()}
        try:
            saved = discount_save(
                shop=request.shop,
                actor=request.user,
                discount=discount,
                name=values["name"],
                kind=values["kind"],
                value=_decimal(values["value"], "Value"),
                starts_at=_moment(values["starts_at"], "Start"),
                ends_at=_moment(values["ends_at"], "End"),
                product_ids=sorted(chosen),
            )
        except BadInput as exc:
            error, status = str(exc), 400
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
        else:
            messages.success(request, f"Discount “{saved.name}” saved.")
            return redirect(_tab_url(request, "discounts"))
    regular = _regular_prices(request.shop, [pr.pk for pr in products])
    for pr in products:
        pr.regular = regular.get(pr.pk)
    return render(
        request,
        "sellercenter/marketing_discount_form.html",
        {
            "discount": discount,
            "values": values,
            "products": products,
            "chosen": chosen,
            "error": error,
            "kinds": [("percent", "Percentage off"), ("fixed", "Fixed amount off")],
        },
        status=status,
    )


@shop_view(p.MARKETING)
def discount_end_view(request, shop_slug, discount_id: int):
    discount = access_discount(request.shop, discount_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        discount_end(shop=request.shop, actor=request.user, discount=discount)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Discount “{discount.name}” has ended.")
    return redirect(_tab_url(request, "discounts"))


@shop_view(p.MARKETING)
@require_GET
def discount_export(request, shop_slug):
    now = timezone.now()
    rows = [
        [
            d.name,
            d.get_kind_display(),
            d.value,
            to_local_input(d.starts_at, " "),
            to_local_input(d.ends_at, " "),
            "; ".join(pr.title for pr in d.products.all()),
            d.status(now),
            d.perf.orders,
            d.perf.revenue,
            d.perf.saved,
        ]
        for d in _discount_rows(request.shop)
    ]
    header = [
        "name",
        "type",
        "value",
        "starts",
        "ends",
        "products",
        "status",
        "orders",
        "revenue",
        "discount given",
    ]
    return _csv(request, "discounts", header, rows)


# --- campaigns ---------------------------------------------------------------------------------
@shop_view(p.MARKETING)
def campaign_register(request, shop_slug):
    source = request.POST if request.method == "POST" else request.GET
    if not source.get("campaign"):
        return redirect(_tab_url(request, "campaigns"))
    campaign = access_campaign(source.get("campaign"))
    eligible = shop_is_eligible(request.shop)
    products = list(promotable_products(shop=request.shop)[:FORM_PRODUCTS])
    regular = _regular_prices(request.shop, [pr.pk for pr in products])
    products = [pr for pr in products if pr.pk in regular]
    for pr in products:
        pr.regular = regular[pr.pk]
        pr.ceiling = campaign.max_price_for(pr.regular)
    values = {"product": source.get("product", ""), "campaign_price": ""}
    error, status = "", 200
    if request.method == "POST":
        values["campaign_price"] = request.POST.get("campaign_price", "").strip()
        chosen = next((pr for pr in products if str(pr.pk) == values["product"]), None)
        try:
            if chosen is None:
                raise BadInput("Choose one of your products.")
            campaign_product_register(
                shop=request.shop,
                actor=request.user,
                campaign=campaign,
                product=chosen,
                campaign_price=_decimal(values["campaign_price"], "Campaign price"),
                eligible=eligible,
            )
        except BadInput as exc:
            error, status = str(exc), 400
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 409
        else:
            messages.success(request, f"“{chosen.title}” is registered for {campaign.name}.")
            return redirect(_tab_url(request, "campaigns"))
    return render(
        request,
        "sellercenter/marketing_campaign_register.html",
        {
            "campaign": campaign,
            "eligible": eligible,
            "is_open": campaign.registration_open(),
            "products": products,
            "values": values,
            "error": error,
        },
        status=status,
    )


@shop_view(p.MARKETING)
def campaign_withdraw(request, shop_slug, campaign_product_id: int):
    registration = access_campaign_product(request.shop, campaign_product_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        campaign_product_withdraw(shop=request.shop, actor=request.user, registration=registration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"“{registration.product.title}” has left {registration.campaign.name}.",
        )
    return redirect(_tab_url(request, "campaigns"))


@shop_view(p.MARKETING)
@require_GET
def campaign_export(request, shop_slug):
    ctx = _campaign_context(request.shop)
    rows = [
        [
            r.campaign.name,
            r.product.title,
            r.regular if r.regular is not None else "",
            r.campaign_price,
            to_local_input(r.campaign.starts_at, " "),
            to_local_input(r.campaign.ends_at, " "),
            "withdrawn" if r.withdrawn_at else "registered",
            r.perf.orders,
            r.perf.revenue,
            r.perf.saved,
        ]
        for r in ctx["registrations"]
    ]
    header = [
        "campaign",
        "product",
        "regular price",
        "campaign price",
        "campaign starts",
        "campaign ends",
        "status",
        "orders",
        "revenue",
        "discount given",
    ]
    return _csv(request, "campaign-registrations", header, rows)


# --- helpers -----------------------------------------------------------------------------------
def _tab_url(request, tab: str) -> str:
    from django.urls import reverse

    return reverse("marketing:overview", kwargs={"shop_slug": request.shop.slug}) + f"?tab={tab}"


def _regular_prices(shop, product_ids) -> dict[int, Decimal]:
    from django.db.models import Min

    return {
        r["product_id"]: Decimal(r["low"]).quantize(Decimal("0.01"))
        for r in SKU.objects.filter(shop=shop, product_id__in=list(product_ids))
        .filter(price__isnull=False)
        .values("product_id")
        .annotate(low=Min("price"))
    }


# Beyond these a number is a typo (or an attack), and the database columns could not hold it.
MAX_AMOUNT = Decimal("10000000000")
MAX_COUNT = 1_000_000_000


def _decimal(value: str, label: str, *, optional: bool = False) -> Decimal | None:
    value = (value or "").strip().lstrip("$").rstrip("%").strip()
    if not value:
        if optional:
            return None
        raise BadInput(f"Enter {label.lower()}.")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise BadInput(f"{label} must be a number like 10 or 4.99.") from None
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise BadInput(f"{label} must be a number like 10 or 4.99, below {MAX_AMOUNT:,}.")
    return amount.quantize(Decimal("0.01"))


def _whole(value: str, label: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise BadInput(f"{label} must be a whole number (or left empty).") from None
    if not 0 <= number <= MAX_COUNT:
        raise BadInput(f"{label} must be between 0 and {MAX_COUNT:,}.")
    return number


def _moment(value: str, label: str) -> datetime:
    """A datetime-local field, read in the platform time zone."""
    try:
        return from_local_input(value)
    except ValueError:
        raise BadInput(f"{label} must be a date and time.") from None


def _csv(request, name: str, header: list[str], rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{request.shop.slug}-{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return response


def _cell(value) -> str:
    text = str(value)
    # Spreadsheet formula injection: a cell must not start with = + - @.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text

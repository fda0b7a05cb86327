"""Seller Marketing pages: one overview with tabs, create / edit / end forms, CSV exports."""

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from catalog.models import SKU
from common.errors import press, submit
from orders.marketing.forms import (
    CampaignRegistrationForm,
    CouponForm,
    DiscountForm,
)
from orders.marketing.models import Coupon, Discount, OrderPromotion
from orders.marketing.selectors import (
    FORM_PRODUCTS,
    Performance,
    access_campaign,
    access_campaign_product,
    access_coupon,
    access_discount,
    campaign_list_visible,
    campaign_product_performance,
    campaign_registration_list,
    coupon_list,
    discount_list,
    promotable_products,
    promotion_performance,
    shop_is_eligible,
)
from orders.marketing.services import (
    campaign_product_register,
    campaign_product_withdraw,
    coupon_end,
    coupon_save,
    discount_end,
    discount_save,
)
from shops import permissions as p
from shops.tenancy import shop_view

TABS = ("coupons", "discounts", "campaigns")


# --- overview ----------------------------------------------------------------------------------
@shop_view(p.MARKETING)
@require_GET
def marketing_overview(request, shop_slug):
    tab = request.GET.get("tab", "coupons")
    if tab not in TABS:
        tab = "coupons"
    context = {"tab": tab, "now": timezone.now()}
    if tab == "coupons":
        context["coupons"] = coupon_rows(request.shop)
    elif tab == "discounts":
        context["discounts"] = discount_rows(request.shop)
    else:
        context.update(campaign_context(request.shop))
    return render(request, "sellercenter/marketing_overview.html", context)


def coupon_rows(shop):
    return _with_performance(coupon_list(shop=shop), shop=shop, kind=OrderPromotion.Kind.COUPON)


def discount_rows(shop):
    return _with_performance(discount_list(shop=shop), shop=shop, kind=OrderPromotion.Kind.DISCOUNT)


def campaign_registrations(shop) -> list:
    """The shop's campaign registrations, each with its performance and regular price (the
    Campaigns tab and its CSV)."""
    stats = campaign_product_performance(shop=shop)
    registrations = list(campaign_registration_list(shop=shop))
    regular = _regular_prices(shop, [r.product_id for r in registrations])
    for r in registrations:
        r.perf = stats.get((r.campaign_id, r.product_id), Performance())
        r.regular = regular.get(r.product_id)
    return registrations


def campaign_context(shop) -> dict:
    now = timezone.now()
    registrations = campaign_registrations(shop)
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
    form = CouponForm(request.POST or None, shop=request.shop, coupon=coupon)
    done = submit(
        form, lambda data: coupon_save(shop=request.shop, actor=request.user, coupon=coupon, **data)
    )
    if done.ok:
        messages.success(request, f"Coupon {done.result.code} saved.")
        return redirect(_tab_url(request, "coupons"))
    return render(
        request,
        "sellercenter/marketing_coupon_form.html",
        {"coupon": coupon, "form": form, "kinds": Coupon.Kind.choices},
        status=done.status,
    )


@shop_view(p.MARKETING)
def coupon_end_view(request, shop_slug, coupon_id: int):
    coupon = access_coupon(request.shop, coupon_id)
    return _end_promotion(
        request,
        lambda: coupon_end(shop=request.shop, actor=request.user, coupon=coupon),
        tab="coupons",
        done=f"Coupon {coupon.code} has ended.",
    )


# --- discounts ---------------------------------------------------------------------------------
@shop_view(p.MARKETING)
def discount_create(request, shop_slug):
    return _discount_form(request, None)


@shop_view(p.MARKETING)
def discount_edit(request, shop_slug, discount_id: int):
    return _discount_form(request, access_discount(request.shop, discount_id))


def _discount_form(request, discount):
    form = DiscountForm(request.POST or None, shop=request.shop, discount=discount)
    done = submit(
        form,
        lambda data: discount_save(
            shop=request.shop,
            actor=request.user,
            discount=discount,
            name=data["name"],
            kind=data["kind"],
            value=data["value"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            product_ids=sorted(pr.pk for pr in data["products"]),
        ),
    )
    if done.ok:
        messages.success(request, f"Discount “{done.result.name}” saved.")
        return redirect(_tab_url(request, "discounts"))
    return render(
        request,
        "sellercenter/marketing_discount_form.html",
        {
            "discount": discount,
            "form": form,
            "products": _form_products(request.shop),
            "chosen": form.chosen_ids(),
            "kinds": Discount.Kind.choices,
        },
        status=done.status,
    )


@shop_view(p.MARKETING)
def discount_end_view(request, shop_slug, discount_id: int):
    discount = access_discount(request.shop, discount_id)
    return _end_promotion(
        request,
        lambda: discount_end(shop=request.shop, actor=request.user, discount=discount),
        tab="discounts",
        done=f"Discount “{discount.name}” has ended.",
    )


def _end_promotion(request, end, *, tab: str, done: str):
    """End a coupon or a discount (POST only): the seller sees why when the rules refuse."""
    return press(request, end, done=done, back=_tab_url(request, tab))


# --- campaigns ---------------------------------------------------------------------------------
@shop_view(p.MARKETING)
def campaign_register(request, shop_slug):
    source = request.POST if request.method == "POST" else request.GET
    if not source.get("campaign"):
        return redirect(_tab_url(request, "campaigns"))
    campaign = access_campaign(source.get("campaign"))
    eligible = shop_is_eligible(request.shop)
    products = [pr for pr in _form_products(request.shop) if pr.regular is not None]
    for pr in products:
        pr.ceiling = campaign.max_price_for(pr.regular)
    form = CampaignRegistrationForm(
        request.POST or None,
        shop=request.shop,
        priced_ids=[pr.pk for pr in products],
        initial={"product": request.GET.get("product", "")},
    )
    done = submit(
        form,
        lambda data: campaign_product_register(
            shop=request.shop,
            actor=request.user,
            campaign=campaign,
            product=data["product"],
            campaign_price=data["campaign_price"],
            eligible=eligible,
        ),
    )
    if done.ok:
        chosen = form.cleaned_data["product"]
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
            "form": form,
        },
        status=done.status,
    )


@shop_view(p.MARKETING)
def campaign_withdraw(request, shop_slug, campaign_product_id: int):
    registration = access_campaign_product(request.shop, campaign_product_id)
    return press(
        request,
        lambda: campaign_product_withdraw(
            shop=request.shop, actor=request.user, registration=registration
        ),
        done=f"“{registration.product.title}” has left {registration.campaign.name}.",
        back=_tab_url(request, "campaigns"),
    )


# --- helpers -----------------------------------------------------------------------------------
def _with_performance(promotions, *, shop, kind) -> list:
    """The coupons or discounts, each with its ``perf``: orders, revenue and discount given."""
    stats = promotion_performance(shop=shop, kind=kind)
    rows = list(promotions)
    for row in rows:
        row.perf = stats.get(row.pk, Performance())
    return rows


def _form_products(shop) -> list:
    """The products a promotion form offers, each with its ``regular`` (lowest) price, or None
    while it has no priced variant."""
    products = list(promotable_products(shop=shop)[:FORM_PRODUCTS])
    regular = _regular_prices(shop, [pr.pk for pr in products])
    for pr in products:
        pr.regular = regular.get(pr.pk)
    return products


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

"""Variants (SKUs) of a product: the variants row, the inline price / stock edit, stock alerts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from catalog.forms import (
    SkuInlineForm,
    VariantForm,
    VariantFormSet,
)
from catalog.models import SKU
from catalog.selectors import (
    access_product,
    access_sku,
    product_row,
    stock_alert_list,
)
from catalog.services.products.editing import (
    VersionConflict,
    sku_inline_update,
)
from catalog.services.products.variants import sku_remove
from common.errors import DomainError
from shops import permissions as p
from shops.tenancy import shop_view


@shop_view(p.CATALOG)
def product_variants(request, shop_slug, product_id: int):
    """The htmx row under a product in the list: its variants with inline price/stock edit."""
    product = access_product(request.shop, product_id)
    if request.method not in ("GET",):  # after the lookup: strangers get 404, not 405
        return HttpResponseNotAllowed(["GET"])
    rows = [(sku, SkuInlineForm(initial=_inline_initial(sku)), "") for sku in product.skus.all()]
    return render(
        request, "catalog/product_list.html#variants-row", {"product": product, "rows": rows}
    )


@shop_view(p.CATALOG)
@require_http_methods(["GET", "POST"])
def product_sku_inline(request, shop_slug, sku_id: int):
    sku = access_sku(request.shop, sku_id)
    note, level, row_product = "", "", None
    if request.method == "POST":
        form = SkuInlineForm(request.POST)
        if form.is_valid():
            try:
                sku = sku_inline_update(
                    shop=request.shop,
                    actor=request.user,
                    sku=sku,
                    version=form.cleaned_data["version"],
                    price=form.cleaned_data["price"],
                    on_hand=form.cleaned_data["on_hand"],
                )
            except VersionConflict as conflict:
                sku, note, level = conflict.current, str(conflict), "bad"
                form = SkuInlineForm(initial=_inline_initial(sku))
            except ValidationError as exc:
                note, level = " ".join(exc.messages), "bad"
            else:
                note, level = "Saved.", "ok"
                form = SkuInlineForm(initial=_inline_initial(sku))
                # The product's row above (totals, stock badges, status) follows the edit.
                row_product = product_row(shop=request.shop, product_id=sku.product_id)
        else:
            note, level = "Not saved — see the highlighted field.", "bad"
    else:
        form = SkuInlineForm(initial=_inline_initial(sku))
    return render(
        request,
        "catalog/product_list.html#sku-form",
        {"sku": sku, "form": form, "note": note, "level": level, "row_product": row_product},
    )


def _inline_initial(sku: SKU) -> dict:
    return {"version": sku.version, "price": sku.price, "on_hand": sku.on_hand}


@shop_view(p.CATALOG)
@require_GET
def product_alerts(request, shop_slug):
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "catalog/product_alerts.html",
        {
            "alerts": stock_alert_list(shop=request.shop, include_resolved=show_all),
            "show_all": show_all,
        },
    )


@shop_view(p.CATALOG)
@require_GET
def product_variant_row(request, shop_slug):
    """The product form's "Add variant" (htmx): one empty row numbered after the rows on the
    page, and the formset's row count moved on by one. ``remove=1`` answers an empty body: the
    row the seller removed is replaced by nothing."""
    if request.GET.get("remove"):
        return HttpResponse("")
    try:
        index = max(0, int(request.GET.get("variants-TOTAL_FORMS", "0")))
    except ValueError:
        index = 0
    if index >= VariantFormSet.max_num:
        return HttpResponse(status=204)  # the most a product can have; nothing to add
    vform = VariantForm(prefix=f"variants-{index}", use_required_attribute=False)
    return render(
        request,
        "catalog/product_form.html#variant-row",
        {"vform": vform, "number": index + 1, "new": True, "total": index + 1},
    )


@shop_view(p.CATALOG)
def product_variant_remove(request, shop_slug, product_id: int, sku_id: int):
    """Remove a saved variant from the product form.

    With htmx the browser has asked "Remove …?" (hx-confirm) and posts ``confirm=1`` and the
    row's number: the row is answered with the formset's mark that it is gone, the rest of the
    form keeps what the seller typed, and the outcome is announced under the table; a refusal
    (409) leaves the row as it is. Without script the row's button posts the form here and a
    confirmation page answers first."""
    product = access_product(request.shop, product_id)
    sku = access_sku(request.shop, sku_id)
    if sku.product_id != product.pk:
        raise Http404("No such variant.")
    if request.method != "POST":  # after the lookup: strangers get 404, not 405
        return HttpResponseNotAllowed(["POST"])
    confirmed = "1" in (request.GET.get("confirm"), request.POST.get("confirm"))
    if not confirmed:
        return render(
            request, "catalog/product_variant_remove.html", {"product": product, "sku": sku}
        )
    try:
        outcome = sku_remove(shop=request.shop, actor=request.user, product=product, sku_id=sku.pk)
    except DomainError as refused:
        if request.htmx:
            response = render(
                request,
                "catalog/product_form.html#variant-status",
                {"note": refused.message, "level": "bad"},
                status=refused.status_code,
            )
            response["HX-Reswap"] = "none"  # the row stays as the seller left it
            return response
        return render(
            request,
            "catalog/product_variant_remove.html",
            {"product": product, "sku": sku, "refused": refused.message},
            status=refused.status_code,
        )
    if not request.htmx:
        getattr(messages, outcome.level, messages.info)(request, outcome.notice)
        return redirect("catalog:product_edit", shop_slug=shop_slug, product_id=product.pk)
    row = request.GET.get("row", "")
    return render(
        request,
        "catalog/product_form.html#variant-removed",
        {
            "row": int(row) if row.isdigit() else None,
            "product": outcome.product,
            "swap_badge": True,
            "note": outcome.notice,
            "level": "ok" if outcome.level == "success" else "bad",
        },
    )

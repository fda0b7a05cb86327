"""Product pages: the list with its tabs, one product, the create / edit form, status actions
and recovering a deleted product; the old Marketing link."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from catalog.forms import (
    ProductForm,
    VariantFormSet,
)
from catalog.models import Product
from catalog.selectors import (
    SORTS,
    STOCK_STATES,
    ProductFilter,
    access_deleted_product,
    access_product,
    category_choices,
    product_page,
    product_status_counts,
)
from catalog.services import bulk as bulk_services
from catalog.services.products.actions import (
    product_activate,
    product_deactivate,
    product_delete,
    product_recover,
    product_resubmit,
)
from catalog.services.products.editing import (
    VersionConflict,
    product_create,
    product_update,
)
from catalog.shipping import shipping_templates
from catalog.views.errors import error_message
from common.policy import POLICY
from common.transitions import TransitionRefused
from shops import permissions as p
from shops.tenancy import shop_view

TAB_ORDER = ["", "live", "issues", "suspended", "draft", "deactivated", "delisted"]


@shop_view(p.CATALOG)
def product_list(request, shop_slug):
    flt = ProductFilter.from_params(request.GET)
    page = product_page(
        shop=request.shop,
        flt=flt,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    counts = product_status_counts(shop=request.shop)
    labels = dict(Product.Status.choices)
    keep = {k: v for k, v in flt.as_params().items() if k != "status"}
    tabs = [
        {
            "value": value,
            "label": labels.get(value, "All"),
            "count": counts.get(value or "all", 0),
            "query": urlencode({**keep, **({"status": value} if value else {})}),
        }
        for value in TAB_ORDER
    ]
    base = flt.as_params()
    return render(
        request,
        "catalog/product_list.html",
        {
            "page": page,
            "tabs": tabs,
            "flt": flt,
            "deleted_count": counts.get(Product.Status.DELETED, 0),
            "total_for_tab": counts.get(flt.status or "all", 0),
            "categories": category_choices(),
            "stock_states": STOCK_STATES,
            "sorts": {k: v[2] for k, v in SORTS.items()},
            "query": urlencode(base),
            "next_query": urlencode({**base, "after": page.next_cursor}),
            "prev_query": urlencode({**base, "before": page.prev_cursor}),
            "actions": bulk_services.ACTIONS,
        },
    )


@shop_view(p.CATALOG)
def product_detail(request, shop_slug, product_id: int):
    product = access_product(request.shop, product_id)
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "skus": list(product.skus.all()),
            "images": list(product.images.all()),
            "history": list(product.status_changes.select_related("actor")[:20]),
        },
    )


@shop_view(p.CATALOG)
@require_http_methods(["GET", "POST"])
def product_create_view(request, shop_slug):
    return _product_form(request, product=None)


@shop_view(p.CATALOG)
@require_http_methods(["GET", "POST"])
def product_edit(request, shop_slug, product_id: int):
    return _product_form(request, product=access_product(request.shop, product_id))


def _product_form(request, product):
    images = list(product.images.all()) if product else []
    skus = list(product.skus.all()) if product else []
    templates = shipping_templates(shop=request.shop)
    if request.method == "POST":
        form = ProductForm(request.POST, request.FILES, images=images, shipping_templates=templates)
        formset = VariantFormSet(request.POST, prefix="variants")
        # Both checked before either is answered: every error shows at once, at its field.
        form_valid, formset_valid = form.is_valid(), formset.is_valid()
        if form_valid and formset_valid:
            own = {s.pk: s for s in skus}
            variants = []
            for vform in formset.forms:
                if _removed(vform):  # removed in place by product_variant_remove
                    continue
                if not vform.has_changed() and not vform.cleaned_data.get("sku_id"):
                    continue
                if not vform.cleaned_data:
                    continue
                sku_id = vform.cleaned_data.get("sku_id")
                if sku_id and sku_id not in own:
                    raise Http404("No such variant.")
                extra = own[sku_id].attributes if sku_id else None
                variants.append(vform.variant(extra))
            publish = "publish" in request.POST
            try:
                if product is None:
                    outcome = product_create(
                        shop=request.shop,
                        actor=request.user,
                        data=form.product_data(),
                        variants=variants,
                        images=form.cleaned_data["images"],
                        publish=publish,
                    )
                else:
                    outcome = product_update(
                        shop=request.shop,
                        actor=request.user,
                        product=product,
                        data=form.product_data(),
                        variants=variants,
                        images=form.cleaned_data["images"],
                        remove_image_ids=[
                            int(i) for i in form.cleaned_data.get("remove_images", [])
                        ],
                        publish=publish,
                    )
            except VersionConflict as conflict:
                form.add_error(None, str(conflict))
            except TransitionRefused as refused:
                form.add_error(None, str(refused))
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                getattr(messages, outcome.level, messages.info)(request, outcome.notice)
                return redirect(
                    "catalog:product_detail",
                    shop_slug=request.shop.slug,
                    product_id=outcome.product.pk,
                )
    else:
        initial = {}
        if product:
            initial = {f: getattr(product, f) for f in Product.EDITABLE}
            initial["shipping_template"] = product.shipping_template_id
        form = ProductForm(initial=initial, images=images, shipping_templates=templates)
        rows = [
            {
                "sku_id": s.pk,
                "version": s.version,
                "seller_sku": s.seller_sku,
                "size": s.attributes.get("size", ""),
                "colour": s.attributes.get("colour", ""),
                "price": s.price,
                "compare_at_price": s.compare_at_price,
                "on_hand": s.on_hand,
                "low_stock_threshold": s.low_stock_threshold,
            }
            for s in skus
        ]
        formset = VariantFormSet(prefix="variants", initial=rows)
        formset.extra = 0 if rows else 1  # more rows come from "Add variant" (htmx)
    return render(
        request,
        "catalog/product_form.html",
        {
            "form": form,
            "formset": formset,
            "variant_rows": _shown_variant_rows(formset),
            "error_summary": _error_summary(form, formset),
            "product": product,
            "images": images,
        },
        status=400 if request.method == "POST" else 200,  # a refused form is a client error
    )


def _shown_variant_rows(formset) -> list:
    """The rows to draw: a refused form drops the new rows the seller removed or left blank
    (a saved row removed in place is drawn as its hidden mark, product_form.html)."""
    initial = formset.initial_form_count()
    return [
        vform
        for i, vform in enumerate(formset.forms)
        if not formset.is_bound or i < initial or vform.has_changed()
    ]


def _removed(vform) -> bool:
    """A saved row removed in place (product_variant_remove): marked ``DELETE``; never
    validated, saved or listed as an error."""
    return bool(getattr(vform, "cleaned_data", {}).get("DELETE"))


def _error_summary(form, formset) -> list[tuple[str, str]]:
    """(field id, sentence) for every field error, in page order: the list above the form links
    to each field, where the error is repeated."""
    if not form.is_bound:
        return []
    summary = [
        (form[name].auto_id, f"{form[name].label}: {error}")
        for name, errors in form.errors.items()
        if name in form.fields
        for error in errors
    ]
    for number, vform in enumerate(formset.forms, start=1):
        if _removed(vform):
            continue
        for name, errors in vform.errors.items():
            if name in vform.fields:
                summary += [
                    (vform[name].auto_id, f"Variant {number}, {vform[name].label}: {error}")
                    for error in errors
                ]
    return summary


def _errors_onto(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


ACTIONS = {
    "activate": product_activate,
    "deactivate": product_deactivate,
    "delete": product_delete,
    "resubmit": product_resubmit,
}


@shop_view(p.CATALOG)
def product_action(request, shop_slug, product_id: int):
    product = access_product(request.shop, product_id)
    if request.method not in ("POST",):  # after the lookup: strangers get 404, not 405
        return HttpResponseNotAllowed(["POST"])
    action = request.POST.get("action", "")
    service = ACTIONS.get(action)
    if service is None:
        messages.error(request, "Unknown action.")
        return redirect("catalog:product_detail", shop_slug=shop_slug, product_id=product.pk)
    try:
        result = service(shop=request.shop, actor=request.user, product=product)
    except (TransitionRefused, ValidationError) as refused:
        messages.error(request, error_message(refused))
    else:
        if action == "activate":
            getattr(messages, result.level, messages.info)(request, result.notice)
        elif action == "delete":
            messages.success(
                request,
                f"“{product.title}” deleted. You can recover it for "
                f"{POLICY.product_deleted_retention_days} days.",
            )
            return redirect("catalog:product_list", shop_slug=shop_slug)
        else:
            messages.success(
                request, f"“{product.title}” is now {product.get_status_display().lower()}."
            )
    return redirect("catalog:product_detail", shop_slug=shop_slug, product_id=product.pk)


@shop_view(p.CATALOG)
def product_recover_view(request, shop_slug, product_id: int):
    product = access_deleted_product(request.shop, product_id)
    if request.method not in ("POST",):  # after the lookup: strangers get 404, not 405
        return HttpResponseNotAllowed(["POST"])
    try:
        product_recover(shop=request.shop, actor=request.user, product=product)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
        return redirect(
            reverse("catalog:product_list", kwargs={"shop_slug": shop_slug}) + "?status=deleted"
        )
    messages.success(
        request, f"“{product.title}” recovered as {product.get_status_display().lower()}."
    )
    return redirect("catalog:product_detail", shop_slug=shop_slug, product_id=product.pk)


@shop_view(p.MARKETING)
@require_GET
def marketing(request, shop_slug):
    # The Marketing pages moved to /shops/<slug>/marketing/; old links still land.
    return redirect("marketing:overview", shop_slug=shop_slug)

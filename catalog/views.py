import mimetypes
import posixpath
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog import csvio
from catalog.forms import (
    BulkForm,
    ImportForm,
    ProductForm,
    SkuInlineForm,
    VariantFormSet,
)
from catalog.models import SKU, Product
from catalog.selectors import (
    SORTS,
    STOCK_STATES,
    ProductFilter,
    access_deleted_product,
    access_import_job,
    access_product,
    access_sku,
    category_choices,
    import_job_list,
    product_page,
    product_queryset,
    product_row,
    product_status_counts,
    stock_alert_list,
)
from catalog.services import bulk as bulk_services
from catalog.services.imports import import_job_create
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
    sku_inline_update,
)
from catalog.tasks import product_bulk_action_task
from common.csvio import csv_response, csv_streaming_response
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
    if request.method == "POST":
        form = ProductForm(request.POST, request.FILES, images=images)
        formset = VariantFormSet(request.POST, prefix="variants")
        if form.is_valid() and formset.is_valid():
            own = {s.pk: s for s in skus}
            variants = []
            for vform in formset.forms:
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
            initial = {
                f: getattr(product, f)
                for f in (
                    "title",
                    "description",
                    "category",
                    "brand",
                    "keywords",
                    "weight_grams",
                    "length_cm",
                    "width_cm",
                    "height_cm",
                )
            }
        form = ProductForm(initial=initial, images=images)
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
        formset.extra = 3 if not rows else 1
    return render(
        request,
        "catalog/product_form.html",
        {"form": form, "formset": formset, "product": product, "images": images},
        status=400 if request.method == "POST" else 200,  # a refused form is a client error
    )


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
        messages.error(request, _message(refused))
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
@require_POST
def product_bulk(request, shop_slug):
    flt = ProductFilter.from_params(request.POST)
    form = BulkForm(request.POST)
    back = reverse("catalog:product_list", kwargs={"shop_slug": shop_slug})
    back += "?" + urlencode(flt.as_params()) if flt.as_params() else ""
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(back)
    action, scope_ = form.cleaned_data["action"], form.cleaned_data["scope"]
    if scope_ == "all":
        ids_qs = product_queryset(shop=request.shop, flt=flt).values_list("pk", flat=True)
        count = ids_qs.count()
    else:
        ids_qs = None
        count = len(form.cleaned_data["ids"])
    needs_confirm = action in bulk_services.DESTRUCTIVE or scope_ == "all"
    if needs_confirm and not form.cleaned_data["confirm"]:
        return render(
            request,
            "catalog/product_bulk_confirm.html",
            {
                "action": action,
                "action_label": bulk_services.ACTIONS[action],
                "count": count,
                "scope": scope_,
                "ids": form.cleaned_data["ids"],
                "value": form.cleaned_data["value"],
                "flt": flt,
                "back": back,
            },
        )
    if ids_qs is not None and count > POLICY.bulk_sync_max_products:
        # A large set runs in the background: validate the value now, queue, tell the seller.
        try:
            bulk_services.parse_value(action, form.cleaned_data["value"])
        except ValidationError as exc:
            messages.error(request, _message(exc))
            return redirect(back)
        product_bulk_action_task.delay_on_commit(
            shop_id=request.shop.pk,
            actor_id=request.user.pk,
            action=action,
            value=form.cleaned_data["value"],
            filters=flt.as_params(),
        )
        messages.info(
            request,
            f"{bulk_services.ACTIONS[action]} on {count:,} products is running in the background; "
            "refresh the list in a minute to see the result.",
        )
        return redirect(back)
    ids = list(ids_qs) if ids_qs is not None else form.cleaned_data["ids"]
    try:
        result = bulk_services.product_bulk_action(
            shop=request.shop,
            actor=request.user,
            action=action,
            product_ids=ids,
            value=form.cleaned_data["value"],
        )
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        (messages.success if not result.skipped else messages.warning)(request, result.summary())
    return redirect(back)


@shop_view(p.CATALOG)
@require_GET
def product_export(request, shop_slug):
    shop = request.shop
    products = product_queryset(shop=shop, flt=ProductFilter.from_params(request.GET))
    rows = csvio.export_rows(shop=shop, products=products)
    return csv_streaming_response(f"{shop.slug}-products.csv", csvio.COLUMNS, rows, shop=shop)


@shop_view(p.CATALOG)
@require_GET
def product_import_template(request, shop_slug):
    return csv_response("products-template.csv", csvio.COLUMNS, csvio.template_rows())


@shop_view(p.CATALOG)
@require_http_methods(["GET", "POST"])
def product_import(request, shop_slug):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                shop=request.shop, actor=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", _message(exc))
        else:
            return redirect("catalog:product_import_job", shop_slug=shop_slug, import_job_id=job.pk)
    return render(
        request,
        "catalog/product_import.html",
        {"form": form, "jobs": import_job_list(shop=request.shop), "columns": csvio.COLUMNS},
    )


@shop_view(p.CATALOG)
def product_import_job(request, shop_slug, import_job_id: int):
    job = access_import_job(request.shop, import_job_id)
    if request.method not in ("GET",):  # after the lookup: strangers get 404, not 405
        return HttpResponseNotAllowed(["GET"])
    template = "catalog/product_import_job.html"
    if request.htmx:
        template += "#import-progress"
    return render(request, template, {"job": job})


@shop_view(p.CATALOG)
def product_import_errors(request, shop_slug, import_job_id: int):
    job = access_import_job(request.shop, import_job_id)
    if request.method not in ("GET",):  # after the lookup: strangers get 404, not 405
        return HttpResponseNotAllowed(["GET"])
    return csv_streaming_response(
        f"import-{job.pk}-errors.csv",
        csvio.ERROR_REPORT_COLUMNS,
        csvio.error_report_rows(job.errors),
    )


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


@shop_view(p.MARKETING)
@require_GET
def marketing(request, shop_slug):
    # The Marketing pages moved to /shops/<slug>/marketing/; old links still land.
    return redirect("marketing:overview", shop_slug=shop_slug)


@require_GET
def media_file(request, path: str):
    """Public product images from the default storage, with DEBUG on or off.

    Only the products/ tree is served; private files (documents, imports) live in another
    storage that has no URL at all.
    """
    path = posixpath.normpath(path).lstrip("/")
    if not path.startswith("products/") or ".." in path.split("/"):
        raise Http404("No such file.")
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such file.") from None
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"  # names are unique uuids
    return response


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)

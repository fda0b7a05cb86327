"""Many products at once: bulk actions, the CSV export, and the CSV import with its jobs and
error reports."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog import csvio
from catalog.forms import (
    BulkForm,
    ImportForm,
)
from catalog.selectors import (
    ProductFilter,
    access_import_job,
    import_job_list,
    product_queryset,
)
from catalog.services import bulk as bulk_services
from catalog.services.imports.jobs import (
    import_job_create,
    import_stage,
    import_staged_create,
)
from catalog.tasks import product_bulk_action_task
from catalog.views.errors import error_message
from common.csvio import csv_response, csv_streaming_response
from common.policy import POLICY
from shops import permissions as p
from shops.tenancy import shop_view


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
            messages.error(request, error_message(exc))
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
        messages.error(request, error_message(exc))
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
    if request.method == "POST" and request.POST.get("staged"):
        # The seller confirmed the mapping preview of a Shopify or WooCommerce export.
        try:
            job = import_staged_create(
                shop=request.shop, actor=request.user, ticket=request.POST["staged"]
            )
        except ValidationError as exc:
            form = ImportForm(data={}, files={})
            form.is_valid()  # bound and empty: the refusal below replaces "required"
            form.errors["file"] = form.error_class([error_message(exc)])
        else:
            return redirect("catalog:product_import_job", shop_slug=shop_slug, import_job_id=job.pk)
    elif request.method == "POST" and form.is_valid():
        staged = import_stage(shop=request.shop, upload=form.cleaned_data["file"])
        if staged is not None:
            ticket, preview = staged
            return render(
                request,
                "catalog/product_import_preview.html",
                {"ticket": ticket, "preview": preview},
            )
        try:
            job = import_job_create(
                shop=request.shop, actor=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", error_message(exc))
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

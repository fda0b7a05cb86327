from django.contrib import messages
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.audit import client_ip
from common.policy import POLICY
from lifecycle.selectors import (
    access_data_export,
    data_export_list,
    deletion_preconditions,
    inactivity_status,
    leaving_checklist,
    tiktok_link_of,
)
from lifecycle.services import export as export_services
from lifecycle.services import leaving as leaving_services
from lifecycle.services.leaving import LifecycleError
from lifecycle.services.relist import shop_relist
from shops import permissions as p
from shops.tenancy import shop_view


@shop_view(p.CATALOG)
def relist(request, shop_slug):
    """ "Re-list my store": GET shows what comes back, POST does it."""
    status = inactivity_status(request.shop)
    if request.method == "POST":
        # A shop that cannot re-list gets RelistRefused's message as a 409 (common.errors).
        result = shop_relist(shop=request.shop, actor=request.user, ip=client_ip(request))
        text = f"Your store is re-listed: {result.went_live} products are live again."
        if result.went_to_issues:
            text += f" {result.went_to_issues} need attention (see the Issues tab)."
        messages.success(request, text)
        return redirect("catalog:product_list", shop_slug=request.shop.slug)
    return render(request, "lifecycle/relist.html", {"status": status})


# --- Leaving (SPEC §9.3): owner only ---------------------------------------------------------


@shop_view(p.OWNER)
def leaving(request, shop_slug):
    shop = request.shop
    return render(
        request,
        "lifecycle/leaving.html",
        {
            "link": tiktok_link_of(shop),
            "checklist": leaving_checklist(shop),
        },
    )


@shop_view(p.OWNER, sensitive=True)
def unlink(request, shop_slug):
    if request.method == "POST":
        return _act(
            request,
            leaving_services.tiktok_unlink,
            "Your TikTok account is unlinked. You can link it again at any time.",
        )
    link = tiktok_link_of(request.shop)
    return render(request, "lifecycle/unlink.html", {"link": link})


@shop_view(p.OWNER)
@require_POST
def relink(request, shop_slug):
    return _act(request, leaving_services.tiktok_relink, "Your TikTok account is linked again.")


@shop_view(p.OWNER, sensitive=True)
def deactivate(request, shop_slug):
    if request.method == "POST":
        return _act(
            request,
            leaving_services.shop_deactivate,
            "Your shop is deactivated: products are offline and no orders are accepted.",
        )
    return render(request, "lifecycle/deactivate.html", {})


@shop_view(p.OWNER)
@require_POST
def reactivate(request, shop_slug):
    return _act(
        request,
        leaving_services.shop_reactivate,
        "Welcome back: your shop is active and its products are back.",
    )


@shop_view(p.OWNER, sensitive=True)
def delete(request, shop_slug):
    shop = request.shop
    if request.method == "POST":
        confirm_url = request.build_absolute_uri(
            reverse("lifecycle:delete_confirm", kwargs={"shop_slug": shop.slug})
        )
        try:
            leaving_services.shop_deletion_request(
                shop=shop, actor=request.user, confirm_url=confirm_url, ip=client_ip(request)
            )
        except LifecycleError as error:
            messages.error(request, str(error))
            return redirect("lifecycle:delete", shop_slug=shop.slug)
        messages.success(
            request,
            f"We sent a confirmation link to {request.user.email}; it works for "
            f"{POLICY.deletion_link_valid_hours} hours.",
        )
        return redirect("lifecycle:delete", shop_slug=shop.slug)
    preconditions = deletion_preconditions(shop)
    return render(
        request,
        "lifecycle/delete.html",
        {"preconditions": preconditions, "ready": all(c.ok for c in preconditions)},
    )


@shop_view(p.OWNER, sensitive=True)
def delete_confirm(request, shop_slug):
    shop = request.shop
    token = request.POST.get("token") or request.GET.get("token", "")
    try:
        if request.method == "POST":
            leaving_services.shop_delete_confirm(
                shop=shop, actor=request.user, token=token, ip=client_ip(request)
            )
            messages.success(request, f"{shop.name} is deleted. Its data is being removed.")
            return redirect("shop_picker")
        leaving_services.deletion_request_for_token(shop=shop, token=token)
    except LifecycleError as error:
        status = 400 if request.method == "POST" else 200  # a stale link is a page, not a fault
        return render(
            request, "lifecycle/delete_confirm.html", {"error": str(error)}, status=status
        )
    return render(request, "lifecycle/delete_confirm.html", {"token": token})


# --- Data export -----------------------------------------------------------------------------


@shop_view(p.OWNER)
def export_list(request, shop_slug):
    if request.method == "POST":
        export = export_services.export_request(
            shop=request.shop, actor=request.user, ip=client_ip(request)
        )
        messages.success(request, "We are preparing your export.")
        return redirect(
            reverse("lifecycle:export_list", kwargs={"shop_slug": request.shop.slug})
            + f"#export-{export.pk}"
        )
    return render(
        request,
        "lifecycle/export_list.html",
        {"exports": data_export_list(shop=request.shop)},
    )


@shop_view(p.OWNER)
def export_status(request, shop_slug, data_export_id):
    export = access_data_export(request.shop, data_export_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(request, "lifecycle/export_list.html#export-row", {"export": export})


@shop_view(p.OWNER)
def export_download(request, shop_slug, data_export_id):
    export = access_data_export(request.shop, data_export_id)
    try:
        handle = export_services.export_open(export)
    except export_services.ExportError as error:
        messages.error(request, str(error))
        return redirect("lifecycle:export_list", shop_slug=request.shop.slug)
    return FileResponse(handle, as_attachment=True, filename=export.file_name.rsplit("/", 1)[-1])


def _act(request, leaving_step, success: str):
    """Run a leaving step (shop, acting owner, IP) and go back to the leaving page with its news."""
    try:
        leaving_step(shop=request.shop, actor=request.user, ip=client_ip(request))
    except LifecycleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("lifecycle:leaving", shop_slug=request.shop.slug)

"""Settings → Apps → Inventory sync: connect a Shopify store, see the last sync, sync now."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from accounts.audit import client_ip
from common.errors import submit
from openplatform.forms import StoreConnectForm
from openplatform.selectors import inventory_connection
from openplatform.sync.services import inventory_sync_request, store_connect, store_disconnect
from shops import permissions as p
from shops.tenancy import shop_view


@shop_view(p.CATALOG)
def inventory_sync_page(request, shop_slug):
    connection = inventory_connection(shop=request.shop)
    return render(request, "openplatform/inventory_sync.html", {"connection": connection})


@never_cache
@shop_view(p.OWNER, sensitive=True)
def store_connect_view(request, shop_slug):
    form = StoreConnectForm(request.POST or None)
    done = submit(
        form,
        lambda data: store_connect(
            shop=request.shop, actor=request.user, ip=client_ip(request), **data
        ),
    )
    if done.ok:
        messages.success(request, f"{done.result.store_domain} is connected. Sync it now.")
        return redirect("openplatform:inventory_sync", shop_slug=request.shop.slug)
    return render(
        request, "openplatform/inventory_store_connect.html", {"form": form}, status=done.status
    )


@shop_view(p.OWNER)
def store_disconnect_view(request, shop_slug):
    """GET asks first (what stops, what stays); POST disconnects."""
    if request.method == "POST":
        store_disconnect(shop=request.shop, actor=request.user, ip=client_ip(request))
        messages.success(
            request, "The store is disconnected; stock stays as the last sync left it."
        )
        return redirect("openplatform:inventory_sync", shop_slug=request.shop.slug)
    connection = inventory_connection(shop=request.shop)
    if connection is None:
        messages.info(request, "No store is connected.")
        return redirect("openplatform:inventory_sync", shop_slug=request.shop.slug)
    return render(
        request, "openplatform/inventory_store_disconnect.html", {"connection": connection}
    )


@shop_view(p.CATALOG)
def inventory_sync_now(request, shop_slug):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    inventory_sync_request(shop=request.shop)
    messages.success(request, "The sync is queued; its result shows here in a minute.")
    return redirect("openplatform:inventory_sync", shop_slug=request.shop.slug)

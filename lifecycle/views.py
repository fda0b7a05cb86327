from django.contrib import messages
from django.shortcuts import redirect, render

from accounts.audit import client_ip
from lifecycle.selectors import inactivity_status
from lifecycle.services.relist import RelistRefused, shop_relist
from shops import permissions as p
from shops.tenancy import shop_view


@shop_view(p.CATALOG)
def relist(request, shop_slug):
    """ "Re-list my store": GET shows what comes back, POST does it."""
    status = inactivity_status(request.shop)
    if request.method == "POST":
        try:
            result = shop_relist(shop=request.shop, actor=request.user, ip=client_ip(request))
        except RelistRefused as refused:
            messages.error(request, str(refused))
            return render(request, "lifecycle/relist.html", {"status": status}, status=409)
        text = f"Your store is re-listed: {result.went_live} products are live again."
        if result.went_to_issues:
            text += f" {result.went_to_issues} need attention (see the Issues tab)."
        messages.success(request, text)
        return redirect("catalog:product_list", shop_slug=request.shop.slug)
    return render(request, "lifecycle/relist.html", {"status": status})

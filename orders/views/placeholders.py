"""Sections whose screens arrive with their issues; each still declares its role."""

from django.shortcuts import render

from shops import permissions as p
from shops.tenancy import shop_view


def _coming_soon(title: str, what: str):
    def view(request, shop_slug):
        return render(request, "sellercenter/coming_soon.html", {"title": title, "what": what})

    return view


shipping = shop_view(p.SHIPPING)(
    _coming_soon("Shipping", "Shipping templates with zones and rates")
)

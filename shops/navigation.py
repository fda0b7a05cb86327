"""The seller navigation: one list, filtered by what the member's role may see."""

from dataclasses import dataclass

from django.urls import reverse

from shops import permissions as p


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str
    icon: str
    # Every view of this URL namespace counts as this item (e.g. "marketing").
    namespace: str = ""


NAV = [
    NavItem("Home", "home", p.VIEW, "⌂"),
    NavItem("Products", "catalog:product_list", p.CATALOG, "▦"),
    NavItem("Orders", "orders:order_list", p.ORDERS, "≡"),
    NavItem("Returns", "orders:return_list", p.RETURNS, "↺"),
    NavItem("Shipping", "orders:shipping", p.SHIPPING, "➜"),
    NavItem("Analytics", "orders:analytics", p.ANALYTICS, "∿"),
    NavItem("Marketing", "marketing:overview", p.MARKETING, "✦", namespace="marketing"),
    NavItem("Customer service", "orders:inbox", p.CUSTOMER_SERVICE, "✉"),
    NavItem("Finance", "orders:finance", p.FINANCE, "$"),
    NavItem("Settings", "shops:settings", p.SETTINGS, "⚙"),
    NavItem("Help", "help:help", p.VIEW, "?"),
]


def navigation_for(request, membership) -> list[dict]:
    slug = membership.shop.slug
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = []
    for item in NAV:
        if not membership.can(item.capability):
            continue
        url = reverse(item.url_name, kwargs={"shop_slug": slug})
        active = current == item.url_name or (
            item.url_name != "home"
            and current.split(":")[0] == item.url_name.split(":")[0]
            and _section(current) == _section(item.url_name)
        )
        if item.namespace and current.startswith(item.namespace + ":"):
            active = True
        items.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
    return items


def _section(view_name: str) -> str:
    # "catalog:product_list" and "catalog:product_detail" share the section "catalog:product".
    name = view_name.split(":")[-1]
    return view_name.split(":")[0] + ":" + name.split("_")[0]

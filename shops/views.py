from django.shortcuts import render

from shops import permissions as p
from shops.models import ActivityEvent
from shops.tenancy import shop_view


@shop_view(p.SETTINGS)
def settings_page(request, shop_slug):
    activity = list(ActivityEvent.objects.select_related("actor")[:20])
    members = list(request.shop.memberships.select_related("user").order_by("role", "user__email"))
    return render(request, "shops/settings.html", {"activity": activity, "members": members})

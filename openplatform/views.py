"""Settings → Apps: the apps that may use this shop's API, a private app's one-time token, revoke."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from accounts.audit import client_ip
from common.errors import submit
from openplatform.forms import PrivateAppForm
from openplatform.scopes import SCOPES
from openplatform.selectors import (
    access_shop_app,
    access_webhook_delivery,
    app_list_with_deliveries,
)
from openplatform.services import app_revoke, private_app_create
from openplatform.webhooks.delivery import webhook_redeliver
from shops import permissions as p
from shops.tenancy import shop_view


@shop_view(p.OWNER)
def apps_list(request, shop_slug):
    apps = app_list_with_deliveries(shop=request.shop)
    return render(request, "openplatform/apps_list.html", {"apps": apps})


@never_cache
@shop_view(p.OWNER, sensitive=True)
def private_app_new(request, shop_slug):
    form = PrivateAppForm(request.POST or None)
    done = submit(
        form,
        lambda data: private_app_create(
            shop=request.shop, actor=request.user, ip=client_ip(request), **data
        ),
    )
    if done.ok:
        # Rendered, not redirected: the token exists only in this response.
        return render(
            request,
            "openplatform/private_app_created.html",
            {"app": done.result.app, "token": done.result.token, "scopes": SCOPES},
        )
    return render(request, "openplatform/private_app_form.html", {"form": form}, status=done.status)


@shop_view(p.OWNER)
def app_revoke_confirm(request, shop_slug, shop_app_id):
    app = access_shop_app(request.shop, shop_app_id)
    if request.method == "POST":
        app_revoke(shop=request.shop, actor=request.user, app=app, ip=client_ip(request))
        messages.success(request, f"{app.name} can no longer use your shop's API.")
        return redirect("openplatform:apps", shop_slug=request.shop.slug)
    return render(request, "openplatform/app_revoke.html", {"app": app, "scopes": SCOPES})


@shop_view(p.OWNER)
def delivery_redeliver(request, shop_slug, webhook_delivery_id):
    delivery = access_webhook_delivery(request.shop, webhook_delivery_id)
    if request.method != "POST":  # after the lookup: strangers get 404, not 405
        return HttpResponseNotAllowed(["POST"])
    webhook_redeliver(shop=request.shop, delivery_id=delivery.pk)
    messages.success(request, f"{delivery.event_type} is queued to be sent again.")
    return redirect("openplatform:apps", shop_slug=request.shop.slug)

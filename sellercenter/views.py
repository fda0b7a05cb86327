from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET
from django_scopes import scope

from accounts.twofactor import is_session_verified
from accounts.views import verified_login_required
from sellercenter.dashboard import (
    PERIOD_DAYS,
    home_campaigns,
    home_figures_refresh,
    home_for_member,
    home_tiles,
    home_todos,
    tiles_as_of,
)
from sellercenter.getting_started import getting_started
from shops.permissions import MARKETING, OWNER
from shops.review.access import is_reviewer
from shops.selectors import membership_list
from shops.tenancy import shop_view


def landing(request):
    if request.user.is_authenticated:
        return redirect("shop_picker")
    return redirect("account_login")


@verified_login_required
def shop_picker(request):
    memberships = membership_list(user=request.user)
    if len(memberships) == 1:
        return redirect("home", shop_slug=memberships[0].shop.slug)
    if not memberships:
        # Where sign-in lands people with no shop: reviewers work the verification queue,
        # platform staff the staff console; everyone else is offered to set up a shop.
        if is_reviewer(request.user):
            return redirect("review:queue")
        if request.user.is_staff:
            return redirect("admin:index")
    return render(request, "sellercenter/shop_picker.html", {"memberships": memberships})


@shop_view()
def home(request, shop_slug):
    if request.htmx and request.GET.get("fresh") == "1":
        home_figures_refresh(shop=request.shop)  # the seller pressed "Refresh"
    start = None
    if not request.htmx:
        start = getting_started(
            shop=request.shop,
            membership=request.membership,
            two_step=is_session_verified(request),
        )
    # A shop still getting ready, with no order yet, gets the checklist instead of zero figures.
    show_figures = start is None or start.has_orders or start.complete
    tiles, todos = home_for_member(
        home_tiles(shop=request.shop) if show_figures else [],
        home_todos(shop=request.shop, documents=request.membership.can(OWNER)),
        request.membership,
    )
    context = {
        "tiles": tiles,
        "tiles_as_of": tiles_as_of(tiles),
        "period_days": PERIOD_DAYS,
        "todos": todos,
        "show_figures": show_figures,
        "getting_started": start if start is not None and not start.complete else None,
    }
    if request.htmx:
        return render(request, "sellercenter/home.html#tiles", context)
    # Current and upcoming platform campaigns, with this shop's eligibility.
    context["campaign_panel"] = home_campaigns(shop=request.shop)
    context["can_market"] = request.membership.can(MARKETING)
    return render(request, "sellercenter/home.html", context)


@require_GET
def favicon(request):
    return redirect(static("favicon.svg"), permanent=True)


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception=None):
    from common.files import StoredFileMissing

    reason = str(exception) if isinstance(exception, StoredFileMissing) else ""
    return render(request, "404.html", {"reason": reason}, status=404)


def permission_denied(request, exception=None):
    # A member refused a page of their own shop keeps the seller layout (nav, shop switcher).
    context = {"reason": str(exception) if exception else "", "layout": "base.html"}
    shop = getattr(request, "shop", None)
    if shop is None or getattr(request, "membership", None) is None:
        return render(request, "403.html", context, status=403)
    context["layout"] = "seller_base.html"
    with scope(shop=shop):  # the layout's banners read the shop's rows
        return render(request, "403.html", context, status=403)


def server_error(request):
    return render(request, "500.html", status=500)

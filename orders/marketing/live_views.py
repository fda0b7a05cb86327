"""Marketing → LIVE: the sessions, scheduling, pinned products, start / pause / end, the live
dashboard (an htmx region polled every few seconds) and the summary CSV."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from catalog.selectors import access_product
from common.clock import to_local_input
from common.csvio import csv_response
from common.errors import press, submit
from common.policy import POLICY
from orders.marketing.live_forms import LivePinForm, LiveSessionForm
from orders.marketing.live_models import LiveSession
from orders.marketing.live_selectors import (
    access_live_pin,
    access_live_session,
    live_session_figures,
    live_session_list,
)
from orders.marketing.live_services import (
    live_pin_remove,
    live_pin_save,
    live_session_end,
    live_session_pause,
    live_session_schedule,
    live_session_start,
)
from orders.marketing.selectors import FORM_PRODUCTS, promotable_products
from shops import permissions as p
from shops.tenancy import shop_view


@shop_view(p.MARKETING)
@require_GET
def live_list(request, shop_slug):
    return render(
        request,
        "sellercenter/marketing_live_list.html",
        {"sessions": list(live_session_list(shop=request.shop))},
    )


@shop_view(p.MARKETING)
def live_create(request, shop_slug):
    form = LiveSessionForm(request.POST or None)
    done = submit(
        form,
        lambda data: live_session_schedule(shop=request.shop, actor=request.user, **data),
    )
    if done.ok:
        messages.success(request, f"“{done.result.title}” is scheduled. Pin its products next.")
        return redirect(_detail_url(request, done.result))
    return render(
        request, "sellercenter/marketing_live_form.html", {"form": form}, status=done.status
    )


@shop_view(p.MARKETING)
def live_detail(request, shop_slug, livesession_id: int):
    session = access_live_session(request.shop, livesession_id)  # 404 before 405
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if request.htmx:
        return render(
            request,
            "sellercenter/marketing_live_detail.html#live-dashboard",
            _dashboard_context(request, session),
        )
    return _detail(request, session, LivePinForm())


@shop_view(p.MARKETING)
def live_pin_add(request, shop_slug, livesession_id: int):
    session = access_live_session(request.shop, livesession_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = LivePinForm(request.POST)
    if not request.POST.get("product"):
        form.is_valid()
        form.add_error(None, "Choose a product to pin.")
        return _detail(request, session, form, status=400)
    # Another shop's product (or a made-up id) is 404, as its URL would be.
    product = access_product(request.shop, _int(request.POST.get("product")))
    done = submit(
        form,
        lambda data: live_pin_save(
            shop=request.shop, actor=request.user, session=session, product=product, **data
        ),
    )
    if done.ok:
        messages.success(request, f"“{product.title}” is pinned.")
        return redirect(_detail_url(request, session))
    return _detail(request, session, form, status=done.status, chosen=product.pk)


@shop_view(p.MARKETING)
def live_pin_remove_view(request, shop_slug, livesession_id: int, livepin_id: int):
    session = access_live_session(request.shop, livesession_id)
    pin = access_live_pin(request.shop, session, livepin_id)
    return _act(
        request,
        session,
        lambda: live_pin_remove(shop=request.shop, actor=request.user, pin=pin),
        f"“{pin.product.title}” is no longer pinned.",
    )


@shop_view(p.MARKETING)
def live_move(request, shop_slug, livesession_id: int, to: str):
    session = access_live_session(request.shop, livesession_id)
    asks = to == LiveSession.Status.ENDED and session.status != LiveSession.Status.ENDED
    if asks and request.method == "POST" and "confirm" not in request.POST:
        # Ending cannot be undone: the End button asks first, on a page of its own.
        return render(request, "sellercenter/marketing_live_end_confirm.html", {"session": session})
    service, done = {
        "live": (live_session_start, "You are live: pinned products sell at their live prices."),
        "paused": (live_session_pause, "Paused: pinned products sell at their regular prices."),
        "ended": (live_session_end, "The session has ended."),
    }[to]
    return _act(
        request,
        session,
        lambda: service(shop=request.shop, actor=request.user, session=session),
        done,
    )


@shop_view(p.MARKETING)
def live_export(request, shop_slug, livesession_id: int):
    session = access_live_session(request.shop, livesession_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    figures = live_session_figures(shop=request.shop, session=session)
    rows = [
        [
            f.pin.product.title,
            "" if f.pin.live_price is None else f.pin.live_price,
            "" if f.pin.allocation is None else f.pin.allocation,
            "" if f.pin.per_buyer_limit is None else f.pin.per_buyer_limit,
            f.units,
            "" if f.pin.remaining is None else f.pin.remaining,
            f.orders,
            f.buyers,
            f.revenue,
            f.visitors,
            "" if f.conversion is None else f.conversion,
        ]
        for f in figures.pins
    ]
    rows.append(
        [
            f"Total — {session.title}",
            "",
            "",
            "",
            figures.units,
            "",
            figures.orders,
            figures.buyers,
            figures.revenue,
            figures.visitors,
            "" if figures.conversion is None else figures.conversion,
        ]
    )
    started = to_local_input(session.started_at or session.starts_at, " ").replace(" ", "_")
    return csv_response(
        f"live-{session.pk}-{started}.csv",
        [
            "product",
            "live price",
            "allocation",
            "limit per buyer",
            "items sold",
            "allocation left",
            "orders",
            "buyers",
            "revenue",
            "page viewers",
            "conversion (%)",
        ],
        rows,
    )


# --- helpers -----------------------------------------------------------------------------------
def _detail(request, session: LiveSession, form, *, status: int = 200, chosen=None):
    products = list(promotable_products(shop=request.shop)[:FORM_PRODUCTS])
    context = _dashboard_context(request, session) | {
        "form": form,
        "products": products,
        "chosen": chosen,
        "can_pin": session.status != LiveSession.Status.ENDED,
        "max_pins": POLICY.live_max_pinned_products,
        "history": list(session.history.select_related("actor").order_by("created_at", "id")),
    }
    return render(request, "sellercenter/marketing_live_detail.html", context, status=status)


def _dashboard_context(request, session: LiveSession) -> dict:
    figures = live_session_figures(shop=request.shop, session=session)
    return {
        "session": session,
        "figures": figures,
        "chart": figures.chart(),
        "poll": session.status == LiveSession.Status.LIVE,
        "poll_seconds": POLICY.live_dashboard_poll_seconds,
    }


def _act(request, session, action, done: str):
    """A POST-only button on the session's page: the seller sees why when the rules refuse."""
    return press(request, action, done=done, back=_detail_url(request, session))


def _detail_url(request, session) -> str:
    return reverse(
        "marketing:live_detail",
        kwargs={"shop_slug": request.shop.slug, "livesession_id": session.pk},
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0

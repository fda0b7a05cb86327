"""Seller return screens: the list with state tabs, one return with its next step, the policy."""

from django.contrib import messages
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from common.errors import BadInput, DomainError
from common.files import open_stored
from common.money import format_money
from common.paging import page_window
from orders.returns import forms as f
from orders.returns import services as svc
from orders.returns.models import (
    ReturnPolicy,
    ReturnRequest,
    refundable_cap,
    return_policy_for,
    return_window_last_day,
)
from orders.returns.policy import return_policy_update
from orders.returns.selectors import (
    access_return_photo,
    access_return_request,
    return_status_counts,
)
from orders.returns.selectors import return_list as select_returns
from orders.views.buyer_pages import buyer_order_page
from shops import permissions as p
from shops.tenancy import shop_view

PAGE_SIZE = 50


ACTIONS = {
    "approve": None,
    "reject": f.RejectForm,
    "receive": f.ReceiveForm,
    "refund": f.RefundForm,
    "reject_receipt": f.ReceiptRejectForm,
}


@shop_view(p.RETURNS)
def return_list(request, shop_slug):
    status = request.GET.get("status") or None
    if status not in ReturnRequest.Status.values:
        status = None
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    counts = return_status_counts(shop=request.shop)
    page = page_window(
        select_returns(shop=request.shop, status=status, q=q),
        params=request.GET,
        size=PAGE_SIZE,
        total=None if q else counts.get(status or "all", 0),  # searches are counted, bounded
    )
    tabs = [("", "All", counts.get("all", 0))] + [
        (value, label, counts.get(value, 0)) for value, label in ReturnRequest.Status.choices
    ]
    return render(
        request,
        "orders/return_list.html",
        {"page": page, "tabs": tabs, "status": status or "", "q": q},
    )


@shop_view(p.RETURNS)
def return_detail(request, shop_slug, return_request_id: int):
    return _render_detail(request, access_return_request(request.shop, return_request_id))


def _render_detail(request, return_request: ReturnRequest, forms: dict | None = None):
    """The return page; ``forms`` carries a refused form back with its errors (status 400)."""
    return_policy = return_policy_for(request.shop)
    cap = refundable_cap(return_request, return_policy)
    forms = forms or {}
    context = {
        "r": return_request,
        "history": list(return_request.history.select_related("actor")),
        "photos": list(return_request.photos.all()),
        "policy": return_policy,
        "cap": cap,
        "reject_form": forms.get("reject") or f.RejectForm(),
        "receive_form": forms.get("receive") or f.ReceiveForm(),
        "refund_form": forms.get("refund") or f.RefundForm(initial={"amount": cap}),
        "receipt_form": forms.get("reject_receipt") or f.ReceiptRejectForm(),
        "can": _next_steps(return_request),
    }
    return render(request, "orders/return_detail.html", context, status=400 if forms else 200)


@shop_view(p.RETURNS)
def return_act(request, shop_slug, return_request_id: int):
    return_request = access_return_request(request.shop, return_request_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, "Choose what to do with this return.")
        return redirect(
            "orders:return_detail", shop_slug=shop_slug, return_request_id=return_request.pk
        )
    form_class = ACTIONS[action]
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        return _render_detail(request, return_request, forms={action: form})
    data = form.cleaned_data if form is not None else {}
    kwargs = {"shop": request.shop, "actor": request.user, "return_request": return_request}
    try:
        if action == "refund" and "confirm" not in request.POST:
            # Money leaves the shop: ask once more, with the amount the buyer gets back.
            preview = svc.return_refund_preview(
                shop=request.shop, return_request=return_request, amount=data["amount"]
            )
            return render(
                request,
                "orders/return_refund_confirm.html",
                {"r": return_request, "preview": preview},
            )
        if action == "approve":
            svc.return_approve(**kwargs)
            done = "Return approved."
        elif action == "reject":
            svc.return_reject(**kwargs, reason=data["reason"])
            done = "Return rejected; the buyer sees your reason."
        elif action == "receive":
            svc.return_receive(**kwargs, restock=data["restock"])
            done = "Item received" + (" and put back in stock." if data["restock"] else ".")
        elif action == "refund":
            refunded = svc.return_refund(**kwargs, amount=data["amount"])
            done = f"Refunded {format_money(refunded.refund_amount)} to the buyer."
        else:
            svc.return_reject_receipt(**kwargs, reason=data["reason"], photos=data["photos"])
            done = "Receipt rejected; the buyer may escalate to platform staff."
    except DomainError as exc:
        if form is None:
            messages.error(request, exc.message)
            return redirect(
                "orders:return_detail", shop_slug=shop_slug, return_request_id=return_request.pk
            )
        form.add_error(None, exc)
        return _render_detail(request, return_request, forms={action: form})
    messages.success(request, done)
    return redirect(
        "orders:return_detail", shop_slug=shop_slug, return_request_id=return_request.pk
    )


@shop_view(p.RETURNS)
def return_photo(request, shop_slug, return_photo_id: int):
    photo = access_return_photo(request.shop, return_photo_id)
    response = FileResponse(open_stored(photo.image), content_type=photo.content_type)
    response["Cache-Control"] = "no-store, private"  # a buyer's photo: never cached
    return response


@shop_view(p.RETURNS)
def return_policy(request, shop_slug):
    current = return_policy_for(request.shop)
    form = f.ReturnPolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        return_policy_update(shop=request.shop, actor=request.user, data=form.cleaned_data)
        messages.success(request, "Refund policy saved. It applies to new return requests.")
        return redirect("orders:return_policy", shop_slug=shop_slug)
    return render(
        request,
        "orders/return_policy.html",
        {"form": form, "fee_kinds": ReturnPolicy.FeeKind},
        status=400 if form.errors else 200,
    )


def _next_steps(r: ReturnRequest) -> set[str]:
    S, K = ReturnRequest.Status, ReturnRequest.Kind
    steps = set()
    if r.status == S.REQUESTED:
        steps |= {"approve", "reject"}
    if r.status == S.BUYER_SHIPPED:
        steps |= {"receive", "reject_receipt"}
    if r.status == S.RECEIVED:
        steps |= {"refund", "reject_receipt"}
    if r.status == S.APPROVED and r.kind == K.REFUND_ONLY:
        steps.add("refund")
    return steps


@buyer_order_page
def buyer_returns(request, shop, order):
    returns = {r.line_id: r for r in ReturnRequest.objects.filter(shop=shop, order=order)}
    form = f.ReturnRequestForm(order=order, open_line_ids=returns.keys())
    ship_form, escalate_form = f.ShipBackForm(), f.EscalateForm()
    status, errors = 200, []
    if request.method == "POST":
        action = request.POST.get("action", "request")
        target = returns.get(_int(request.POST.get("line")))
        try:
            if action == "request":
                form = f.ReturnRequestForm(
                    request.POST, request.FILES, order=order, open_line_ids=returns.keys()
                )
                if form.is_valid():  # line, kind, reason, note, photos
                    svc.return_open(shop=shop, order=order, **form.cleaned_data)
                    messages.success(request, "Your return request was sent to the shop.")
                    return redirect(request.path)
                if "line" in form.errors and request.POST.get("line"):
                    form.errors["line"] = form.error_class(
                        ["A return has already been requested for this item."]
                    )
            elif action == "ship" and target:
                ship_form = f.ShipBackForm(request.POST)
                if ship_form.is_valid():
                    svc.return_buyer_ship(
                        shop=shop, return_request=target, **ship_form.cleaned_data
                    )
                    messages.success(request, "Thanks — the shop now expects your parcel.")
                    return redirect(request.path)
            elif action == "escalate" and target:
                escalate_form = f.EscalateForm(request.POST)
                if escalate_form.is_valid():
                    svc.return_escalate(
                        shop=shop,
                        return_request=target,
                        note=escalate_form.cleaned_data["note"],
                    )
                    messages.success(request, "Platform staff will review your case.")
                    return redirect(request.path)
            else:
                raise BadInput("That return is not part of this order.")
        except DomainError as exc:
            errors.append(exc.message)
        for bound in (ship_form, escalate_form):
            errors.extend(e for errs in bound.errors.values() for e in errs)
        status = 400
    return_policy = return_policy_for(shop)
    rows = [(line, returns.get(line.pk)) for line in order.lines.all()]
    can_request = len(returns) < len(rows)
    if not can_request and form.is_bound:  # the form is hidden: say why it was refused
        errors.extend(e for errs in form.errors.values() for e in errs)
    context = {
        "shop": shop,
        "order": order,
        "rows": rows,
        "form": form,
        "ship_form": ship_form,
        "escalate_form": escalate_form,
        "policy": return_policy,
        "last_day": return_window_last_day(order, return_policy),
        "can_request": can_request,
        "errors": errors,
    }
    return render(request, "orders/return_buyer.html", context, status=status)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

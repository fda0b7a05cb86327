"""Buyer-facing pages (no Seller Center account): request a return, write to the shop.

Reached from the storefront order page with a signed token (orders.buyer_access); a product
question starts a conversation and hands the buyer a signed link back to it.
"""

from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_scopes import scope

from accounts.audit import client_ip
from catalog.models import Product
from common.policy import POLICY
from orders import aftersales_forms as f
from orders.buyer_access import order_from_buyer_token
from orders.models import Conversation, ReturnRequest
from orders.services import inbox as inbox_svc
from orders.services import returns as svc
from shops.models import Shop

CONVERSATION_SALT = "orders.buyer-conversation"


def buyer_returns(request, store_slug: str, token: str):
    shop = _store(store_slug)
    if _throttled(request, shop):
        return _too_many()
    with scope(shop=shop):
        order = order_from_buyer_token(shop, token)
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
                    if form.is_valid():
                        data = form.cleaned_data
                        svc.return_open(
                            shop=shop,
                            order=order,
                            line=data["line"],
                            kind=data["kind"],
                            reason=data["reason"],
                            note=data["note"],
                            photos=data["photos"],
                        )
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
                    raise ValidationError("That return is not part of this order.")
            except ValidationError as exc:
                errors.extend(exc.messages)
            for bound in (ship_form, escalate_form):
                errors.extend(e for errs in bound.errors.values() for e in errs)
            status = 400
        return_policy = svc.return_policy_for(shop)
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
            "last_day": svc.return_window_last_day(order, return_policy),
            "can_request": can_request,
            "errors": errors,
        }
        return render(request, "orders/return_buyer.html", context, status=status)


def buyer_order_messages(request, store_slug: str, token: str):
    shop = _store(store_slug)
    if _throttled(request, shop):
        return _too_many()
    with scope(shop=shop):
        order = order_from_buyer_token(shop, token)
        conversation = Conversation.objects.filter(shop=shop, order=order).first()
        form, status = f.MessageForm(request.POST or None), 200
        if request.method == "POST":
            form.is_valid()
            try:
                inbox_svc.conversation_start(
                    shop=shop,
                    order=order,
                    buyer_name=order.buyer_name,
                    buyer_email=order.buyer_email,
                    body=form.cleaned_data.get("body", ""),
                )
                messages.success(request, "Message sent. The shop usually answers within a day.")
                return redirect(request.path)
            except ValidationError as exc:
                form.add_error("body", exc)
                status = 400
        thread = list(conversation.messages.all()) if conversation else []
        return render(
            request,
            "orders/inbox_buyer.html",
            {
                "shop": shop,
                "order": order,
                "thread": thread,
                "form": form,
                "about": f"order {order.number}",
            },
            status=status,
        )


def buyer_product_question(request, store_slug: str, product_id: int):
    shop = _store(store_slug)
    if _throttled(request, shop):
        return _too_many()
    with scope(shop=shop):
        product = get_object_or_404(
            Product.objects.filter(shop=shop, status=Product.Status.LIVE), pk=product_id
        )
        form, status = f.BuyerQuestionForm(request.POST or None), 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    conversation = inbox_svc.conversation_start(
                        shop=shop,
                        product=product,
                        buyer_name=form.cleaned_data["buyer_name"],
                        buyer_email=form.cleaned_data["buyer_email"],
                        body=form.cleaned_data.get("body", ""),
                    )
                except ValidationError as exc:
                    form.add_error("body", exc)
                else:
                    messages.success(
                        request, "Question sent. Keep this page's link to read the answer."
                    )
                    return redirect(
                        "orders_buyer:conversation",
                        store_slug=shop.slug,
                        token=signing.dumps(
                            {"c": conversation.pk, "s": shop.pk}, salt=CONVERSATION_SALT
                        ),
                    )
            status = 400
        return render(
            request,
            "orders/inbox_buyer.html",
            {
                "shop": shop,
                "product": product,
                "form": form,
                "thread": [],
                "about": product.title,
                "ask": True,
            },
            status=status,
        )


def buyer_conversation(request, store_slug: str, token: str):
    shop = _store(store_slug)
    if _throttled(request, shop):
        return _too_many()
    try:
        payload = signing.loads(token, salt=CONVERSATION_SALT)
    except signing.BadSignature as exc:
        raise Http404("No such conversation.") from exc
    if payload.get("s") != shop.pk:
        raise Http404("No such conversation.")
    with scope(shop=shop):
        conversation = get_object_or_404(
            Conversation.objects.filter(shop=shop), pk=payload.get("c")
        )
        form, status = f.MessageForm(request.POST or None), 200
        if request.method == "POST":
            form.is_valid()
            try:
                inbox_svc.message_buyer_send(
                    shop=shop, conversation=conversation, body=form.cleaned_data.get("body", "")
                )
                return redirect(request.path)
            except ValidationError as exc:
                form.add_error("body", exc)
                status = 400
        return render(
            request,
            "orders/inbox_buyer.html",
            {
                "shop": shop,
                "thread": list(conversation.messages.all()),
                "form": form,
                "about": conversation.product.title if conversation.product_id else "your question",
            },
            status=status,
        )


def _throttled(request, shop: Shop) -> bool:
    """Buyers are anonymous: cap their posts per address and shop per hour (inbox spam)."""
    if request.method != "POST":
        return False
    key = f"orders:buyer-posts:{shop.pk}:{client_ip(request) or '-'}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > POLICY.buyer_posts_per_hour


def _too_many() -> HttpResponse:
    return HttpResponse(
        "Too many messages from your connection; please try again in an hour.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )


def _store(slug: str) -> Shop:
    return get_object_or_404(Shop.objects.exclude(status=Shop.Status.DELETED), slug=slug)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

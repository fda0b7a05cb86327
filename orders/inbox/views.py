"""The customer-service inbox: conversations, the thread, replies over htmx."""

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_scopes import scope

from catalog.models import Product
from common.errors import DomainError
from orders.inbox import services as svc
from orders.inbox.forms import BuyerQuestionForm, MessageForm
from orders.inbox.models import Conversation
from orders.inbox.selectors import (
    access_conversation,
    conversation_list,
    conversation_page,
    response_rate,
)
from orders.views.buyer_pages import buyer_order_page
from orders.views.storefront import buyer_post_throttled, store_or_404, too_many_posts
from shops import permissions as p
from shops.tenancy import shop_view

SHOW = ("open", "resolved", "all")


@shop_view(p.CUSTOMER_SERVICE)
def inbox(request, shop_slug):
    return render(request, "orders/inbox_page.html", _context(request, conversation=None))


@shop_view(p.CUSTOMER_SERVICE)
def inbox_conversation(request, shop_slug, conversation_id: int):
    conversation = access_conversation(request.shop, conversation_id)
    # Reading never writes on GET: the page posts to inbox_read once it is shown.
    context = _context(request, conversation=conversation)
    if request.htmx:
        return render(request, "orders/inbox_page.html#thread", context)
    return render(request, "orders/inbox_page.html", context)


@shop_view(p.CUSTOMER_SERVICE)
def inbox_reply(request, shop_slug, conversation_id: int):
    conversation = access_conversation(request.shop, conversation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MessageForm(request.POST)
    form.is_valid()
    status = 200
    try:
        svc.message_reply(
            shop=request.shop,
            actor=request.user,
            conversation=conversation,
            body=form.cleaned_data.get("body", ""),
        )
        form = MessageForm()
    except DomainError as exc:
        form.add_error("body", exc)
        status = 400
    if not request.htmx:
        if status == 200:
            messages.success(request, "Reply sent.")
            return redirect(
                "orders:inbox_conversation", shop_slug=shop_slug, conversation_id=conversation.pk
            )
        return render(
            request,
            "orders/inbox_page.html",
            _context(request, conversation=conversation, form=form),
            status=status,
        )
    # htmx swaps the thread in place; a refused reply keeps the text and shows why (422 is
    # swapped by the htmx config below too, but 200 keeps it simple for every htmx version).
    return render(
        request,
        "orders/inbox_page.html#thread",
        _context(request, conversation=conversation, form=form),
    )


@shop_view(p.CUSTOMER_SERVICE)
def inbox_read(request, shop_slug, conversation_id: int):
    """Mark the buyer's messages read (htmx posts this when the thread is on screen)."""
    conversation = access_conversation(request.shop, conversation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    svc.conversation_mark_read(shop=request.shop, conversation=conversation)
    return HttpResponse(status=204)


@shop_view(p.CUSTOMER_SERVICE)
def inbox_resolve(request, shop_slug, conversation_id: int):
    conversation = access_conversation(request.shop, conversation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    resolved = request.POST.get("resolved", "1") == "1"
    svc.conversation_resolve(
        shop=request.shop, actor=request.user, conversation=conversation, resolved=resolved
    )
    messages.success(request, "Marked as resolved." if resolved else "Reopened.")
    return redirect(
        "orders:inbox_conversation", shop_slug=shop_slug, conversation_id=conversation.pk
    )


def _context(request, *, conversation, form=None) -> dict:
    show = request.GET.get("show", "open")
    if show not in SHOW:
        show = "open"
    cursor = request.GET.get("after", "")
    conversations, next_cursor = conversation_page(
        conversation_list(shop=request.shop, show=show), cursor=cursor
    )
    thread = list(conversation.messages.select_related("author")) if conversation else []
    return {
        "conversations": conversations,
        "next_cursor": next_cursor,
        "is_first_page": not cursor,
        "conversation": conversation,
        "thread": thread,
        "form": form or MessageForm(),
        "show": show,
        "rate": response_rate(request.shop, timezone.now()),
    }


CONVERSATION_SALT = "orders.buyer-conversation"


@buyer_order_page
def buyer_order_messages(request, shop, order):
    conversation = Conversation.objects.filter(shop=shop, order=order).first()
    form, status = MessageForm(request.POST or None), 200
    if request.method == "POST":
        form.is_valid()
        try:
            svc.conversation_start(
                shop=shop,
                order=order,
                buyer_name=order.buyer_name,
                buyer_email=order.buyer_email,
                body=form.cleaned_data.get("body", ""),
            )
            messages.success(request, "Message sent. The shop usually answers within a day.")
            return redirect(request.path)
        except DomainError as exc:
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
    shop = store_or_404(store_slug)
    if buyer_post_throttled(request, shop):
        return too_many_posts()
    with scope(shop=shop):
        product = get_object_or_404(
            Product.objects.filter(shop=shop, status=Product.Status.LIVE), pk=product_id
        )
        form, status = BuyerQuestionForm(request.POST or None), 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    conversation = svc.conversation_start(
                        shop=shop,
                        product=product,
                        buyer_name=form.cleaned_data["buyer_name"],
                        buyer_email=form.cleaned_data["buyer_email"],
                        body=form.cleaned_data.get("body", ""),
                    )
                except DomainError as exc:
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


@never_cache
def buyer_conversation(request, store_slug: str, token: str):
    shop = store_or_404(store_slug)
    if buyer_post_throttled(request, shop):
        return too_many_posts()
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
        form, status = MessageForm(request.POST or None), 200
        if request.method == "POST":
            form.is_valid()
            try:
                svc.message_buyer_send(
                    shop=shop, conversation=conversation, body=form.cleaned_data.get("body", "")
                )
                return redirect(request.path)
            except DomainError as exc:
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

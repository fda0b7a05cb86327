"""The customer-service inbox: conversations, the thread, replies over htmx."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from orders.aftersales_forms import MessageForm
from orders.selectors_inbox import (
    access_conversation,
    conversation_list,
    conversation_page,
    response_rate,
)
from orders.services import inbox as svc
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
    except ValidationError as exc:
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

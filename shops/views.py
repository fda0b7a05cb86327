from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.audit import client_ip
from common.errors import add_error_to_form
from shops import permissions as p
from shops.models import ActivityEvent, BankAccount, Shop
from shops.onboarding.forms import BankAccountForm
from shops.onboarding.progress import onboarding_progress
from shops.services.bank import bank_account_save
from shops.tenancy import shop_view


@shop_view(p.SETTINGS)
def settings_page(request, shop_slug):
    activity = list(ActivityEvent.objects.select_related("actor")[:20])
    members = list(request.shop.memberships.select_related("user").order_by("role", "user__email"))
    return render(request, "shops/settings.html", {"activity": activity, "members": members})


# --- Bank account (SPEC §2) -------------------------------------------------------------------
@shop_view(p.OWNER, sensitive=True)
def bank_account(request, shop_slug):
    current = BankAccount.objects.filter(shop=request.shop).first()
    form = BankAccountForm(
        request.POST or None,
        initial={"holder_name": current.holder_name, "kind": current.kind} if current else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            bank_account_save(
                shop=request.shop, actor=request.user, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, "Bank account saved. We emailed the shop owners.")
            if request.shop.status == Shop.Status.PENDING_VERIFICATION:
                return redirect("onboarding:tiktok", shop_slug=request.shop.slug)
            return redirect("shops:bank_account", shop_slug=request.shop.slug)
    progress = onboarding_progress(shop=request.shop, today=timezone.localdate())
    return render(
        request,
        "shops/bank_account_form.html",
        {"form": form, "current": current, "progress": progress, "step_key": "bank_account"},
        status=400 if form.errors else 200,
    )

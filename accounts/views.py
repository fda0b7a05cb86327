"""Account pages: the second sign-in step, re-authentication, security settings, account type.

They live under /account/ (allauth keeps /accounts/), outside any shop: they belong to the
person, not to a tenant.
"""

from functools import wraps
from urllib.parse import urlencode

from allauth.account.internal.decorators import login_stage_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts import audit, twofactor
from accounts.forms import (
    METHOD_LABELS,
    AccountTypeForm,
    AuthenticatorConfirmForm,
    ReauthenticateForm,
    SecondFactorForm,
)
from accounts.models import AuthenticatorDevice, BackupCodeDevice, SecondFactorGuard
from accounts.reauth import (
    has_recent_reauth,
    mark_reauthenticated,
    reauth_redirect,
    require_recent_reauth,
)
from common.redirects import is_safe_redirect

ACCOUNT_TYPE_FEATURES = {
    "personal": [
        "Sell as an individual in one or more shops",
        "Orders, returns, customer messages and payouts",
    ],
    "creator": [
        "Everything in Personal",
        "Link your TikTok account and sell from your videos and LIVE",
        "Creator analytics: views, clicks and sales per video",
    ],
    "business": [
        "Everything in Creator",
        "Register as a business with a business licence",
        "Invite managers and staff with their own roles",
        "Campaign registration once your shop is eligible",
    ],
}


def verified_login_required(view):
    """Signed in, and — if the user has two-step verification — verified in this session."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        refusal = twofactor.second_factor_gate(request)
        if refusal is not None:
            return refusal
        return view(request, *args, **kwargs)

    return wrapped


# --- the second sign-in step (allauth login stage) ---------------------------------------------
@login_stage_required(stage=twofactor.SecondFactorStage.key, redirect_urlname="account_login")
def second_factor(request):
    stage = request._login_stage
    user = stage.login.user
    form = SecondFactorForm(request.POST or None, user=user)
    if request.method == "POST":
        if "send_email" in request.POST:
            messages.info(request, form.send_email_code())
            return redirect("account_second_factor")
        if form.is_valid():
            # Django's login (inside stage.exit) sees user.otp_device and django-otp stores it
            # in the (rotated) session: the session is verified from its first request.
            stage.login.user.otp_device = form.device
            return stage.exit()
    guard = SecondFactorGuard.objects.filter(user=user).first()
    return render(
        request,
        "accounts/second_factor.html",
        {
            "form": form,
            "methods": _available_methods(user),
            "locked": bool(guard and guard.locked_at),
        },
    )


# --- re-authentication (also: verifying a signed-in session that never proved a 2nd factor) ----
@never_cache
@login_required
def reauthenticate(request):
    user = request.user
    needs_second_factor = twofactor.user_has_second_factor(user)
    next_url = _safe_next(request)
    form = ReauthenticateForm(
        request.POST or None, user=user, request=request, needs_second_factor=needs_second_factor
    )
    if request.method == "POST":
        if "send_email" in request.POST and needs_second_factor:
            messages.info(request, form.send_email_code())
            return HttpResponseRedirect(request.get_full_path())
        if form.is_valid():
            request.session.cycle_key()
            if form.device is not None:
                otp_login(request, form.device)
            mark_reauthenticated(request)
            audit.record(actor=user, action="account.reauthenticated", ip=audit.client_ip(request))
            return HttpResponseRedirect(next_url)
    return render(
        request,
        "accounts/reauthenticate.html",
        {
            "form": form,
            "next": next_url,
            "methods": _available_methods(user) if needs_second_factor else [],
        },
    )


# --- security settings --------------------------------------------------------------------------
@never_cache
@verified_login_required
def security(request):
    user = request.user
    twofactor.forget_new_backup_codes(request)
    backup = BackupCodeDevice.objects.filter(user=user).first()
    guard = SecondFactorGuard.objects.filter(user=user).first()
    return render(
        request,
        "accounts/security.html",
        {
            "enabled": twofactor.user_has_second_factor(user),
            "authenticator": AuthenticatorDevice.objects.filter(user=user, confirmed=True).first(),
            "backup_remaining": backup.remaining() if backup else 0,
            "locked": bool(guard and guard.locked_at),
        },
    )


@never_cache
@verified_login_required
def authenticator_enrol(request):
    user = request.user
    if twofactor.user_has_second_factor(user) and not has_recent_reauth(request):
        # Replacing the authenticator is as sensitive as turning two-step off.
        return reauth_redirect(request)
    device = twofactor.pending_authenticator(request)
    if device is None or request.method == "GET" and "restart" in request.GET:
        device = twofactor.authenticator_begin(request=request)
    form = AuthenticatorConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.authenticator_confirm(
            request=request, user=user, device=device, code=form.cleaned_data["code"]
        )
        if codes is None:
            form.add_error("code", "That code is not right. Check the time on your phone.")
        else:
            mark_reauthenticated(request)
            twofactor.remember_new_backup_codes(request, codes)
            messages.success(request, "Two-step verification is on.")
            next_url = _safe_next(request, default="")
            query = f"?{urlencode({'next': next_url})}" if next_url else ""
            return HttpResponseRedirect(reverse("account_backup_codes") + query)
    return render(
        request,
        "accounts/authenticator_enrol.html",
        {
            "form": form,
            "qr": twofactor.qr_code_data_uri(twofactor.provisioning_uri(device)),
            "manual_key": twofactor.manual_key(device),
            "replacing": twofactor.user_has_second_factor(user),
            "next": _safe_next(request, default=""),
        },
    )


@never_cache
@verified_login_required
def backup_codes(request):
    codes = twofactor.peek_new_backup_codes(request)
    if not codes:
        return redirect("account_security")
    return render(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "next": _safe_next(request, default="")},
    )


@never_cache
@verified_login_required
def backup_codes_download(request):
    codes = twofactor.peek_new_backup_codes(request)
    if not codes:
        return redirect("account_security")
    body = (
        f"Seller Center backup codes for {request.user.email}\n"
        "Each code works once. Keep them somewhere safe, away from your phone.\n\n"
        + "\n".join(codes)
        + "\n"
    )
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="seller-center-backup-codes.txt"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@verified_login_required
@require_recent_reauth
def backup_codes_regenerate(request):
    if not twofactor.user_has_second_factor(request.user):
        return redirect("account_security")
    codes = twofactor.backup_codes_regenerate(user=request.user)
    audit.record(
        actor=request.user,
        action="2fa.backup_codes_regenerated",
        target=request.user,
        ip=audit.client_ip(request),
    )
    twofactor.remember_new_backup_codes(request, codes)
    return redirect("account_backup_codes")


@require_POST
@verified_login_required
@require_recent_reauth
def second_factor_disable(request):
    twofactor.second_factor_disable(request=request, user=request.user)
    messages.success(request, "Two-step verification is off.")
    return redirect("account_security")


# --- account type -------------------------------------------------------------------------------
@verified_login_required
def account_type(request):
    user = request.user
    before = user.account_type
    form = AccountTypeForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if user.account_type != before:
            audit.record(
                actor=user,
                action="account.type_changed",
                target=user,
                changes={"account_type": (before, user.account_type)},
                ip=audit.client_ip(request),
            )
        messages.success(
            request, f"Your account is now a {user.get_account_type_display()} account."
        )
        return redirect("account_type")
    choices = [
        {
            "value": value,
            "label": label,
            "features": ACCOUNT_TYPE_FEATURES[value],
            "current": value == user.account_type,
        }
        for value, label in user.AccountType.choices
    ]
    return render(request, "accounts/account_type.html", {"form": form, "choices": choices})


# --- helpers ------------------------------------------------------------------------------------
def _available_methods(user) -> list[tuple[str, str]]:
    from accounts.forms import METHOD_DEVICES

    return [
        (method, METHOD_LABELS[method])
        for method, model in METHOD_DEVICES.items()
        if model.objects.filter(user=user, confirmed=True).exists()
    ]


def _safe_next(request, default: str | None = None) -> str:
    if default is None:
        default = reverse("shop_picker")
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if is_safe_redirect(request, candidate):
        return candidate
    return default

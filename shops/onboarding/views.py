"""The onboarding wizard (SPEC §2): progress page, one page per step, submission, documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.errors import add_error_to_form
from common.policy import POLICY
from shops import permissions as p
from shops.models import VerificationDocument
from shops.onboarding import forms
from shops.onboarding.files import document_response
from shops.onboarding.progress import onboarding_progress
from shops.selectors import access_verification_document, profile_or_blank
from shops.services import onboarding as services
from shops.tenancy import shop_view


@login_required
def shop_start(request):
    """ "Set up your shop": the shop exists from the start, pending verification."""
    form = forms.ShopCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shop = services.shop_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("onboarding:seller_type", shop_slug=shop.slug)
    return render(request, "shops/onboarding_start.html", {"form": form})


@shop_view(p.VIEW)
def progress(request, shop_slug):
    state = onboarding_progress(shop=request.shop, today=timezone.localdate())
    return render(
        request,
        "shops/onboarding_progress.html",
        {
            "progress": state,
            "step_key": "progress",
            "target_days": POLICY.review_target_days,
        },
    )


@shop_view(p.OWNER)
def seller_type(request, shop_slug):
    shop = request.shop
    form = forms.SellerTypeForm(request.POST or None, initial={"seller_type": shop.seller_type})
    if request.method == "POST" and form.is_valid():
        if _save(
            request,
            form,
            services.profile_set_seller_type,
            shop=shop,
            seller_type=form.cleaned_data["seller_type"],
        ):
            return redirect("onboarding:details", shop_slug=shop.slug)
    return _step(request, "seller_type", form)


@shop_view(p.OWNER)
def details(request, shop_slug):
    shop = request.shop
    profile = profile_or_blank(shop)  # a GET writes nothing; the services create it on save
    form = forms.BusinessDetailsForm(
        request.POST or None, instance=profile, seller_type=shop.seller_type
    )
    if request.method == "POST" and form.is_valid():
        if _save(request, form, services.profile_save_details, shop=shop, data=form.cleaned_data):
            return redirect("onboarding:documents", shop_slug=shop.slug)
    return _step(request, "details", form)


@shop_view(p.OWNER)
def documents(request, shop_slug):
    shop = request.shop
    form = forms.DocumentUploadForm(
        request.POST or None, request.FILES or None, seller_type=shop.seller_type
    )
    if request.method == "POST" and form.is_valid():
        if _save(
            request,
            form,
            services.document_upload,
            shop=shop,
            doc_type=form.cleaned_data["doc_type"],
            upload=form.cleaned_data["file"],
            expires_on=form.cleaned_data["expires_on"],
        ):
            messages.success(request, "Document uploaded.")
            return redirect("onboarding:documents", shop_slug=shop.slug)
    files = VerificationDocument.objects.exclude(
        status=VerificationDocument.Status.REMOVED
    ).order_by("-uploaded_at")
    status = 400 if form.errors else 200
    return _step(request, "documents", form, {"files": files}, status=status)


@shop_view(p.OWNER)
def document_remove(request, shop_slug, verification_document_id):
    # Resolve the id first: another shop's id is a 404 whatever the method.
    document = access_verification_document(request.shop, verification_document_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.document_remove(shop=request.shop, actor=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Document removed.")
    return redirect("onboarding:documents", shop_slug=request.shop.slug)


@shop_view(p.OWNER)
def document_file(request, shop_slug, verification_document_id):
    document = access_verification_document(request.shop, verification_document_id)
    return document_response(document)


@shop_view(p.OWNER)
def tiktok(request, shop_slug):
    shop = request.shop
    profile = profile_or_blank(shop)  # a GET writes nothing; the services create it on save
    form = forms.TikTokForm(request.POST or None, initial={"username": profile.tiktok_username})
    if request.method == "POST" and form.is_valid():
        if _save(
            request, form, services.tiktok_link, shop=shop, username=form.cleaned_data["username"]
        ):
            return redirect("onboarding:progress", shop_slug=shop.slug)
    return _step(request, "tiktok", form, {"profile": profile})


@require_POST
@shop_view(p.OWNER)
def submit(request, shop_slug):
    try:
        services.submission_submit(shop=request.shop, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        days = POLICY.review_target_days
        messages.success(request, f"Submitted. A reviewer will look at it within {days} days.")
    return redirect("onboarding:progress", shop_slug=request.shop.slug)


def _save(request, form, service, **kwargs) -> bool:
    """Call the service; its ValidationError becomes field-level errors on the form."""
    try:
        service(actor=request.user, **kwargs)
    except ValidationError as exc:
        add_error_to_form(form, exc)
        return False
    return True


def _step(request, key, form, extra=None, status=200):
    state = onboarding_progress(shop=request.shop, today=timezone.localdate())
    context = {"form": form, "progress": state, "step_key": key, **(extra or {})}
    if form.errors and status == 200:
        status = 400
    return render(request, f"shops/onboarding_{key}.html", context, status=status)

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404
from django.urls import reverse

from common.mail import email_queue
from common.redirects import is_safe_redirect


@dataclass(frozen=True)
class ProductSite:
    """What allauth's email templates call ``current_site``: the product's name (not the host
    name Django's RequestSite would give, "Hello from 127.0.0.1:8101!") and the host it serves."""

    name: str
    domain: str


def product_site(request) -> ProductSite:
    domain = get_current_site(request).domain if request is not None else ""
    return ProductSite(name=settings.PRODUCT_NAME, domain=domain)


class AccountAdapter(DefaultAccountAdapter):
    """Seller Center's allauth adapter: where sign-in lands, and the two-step sign-in stage."""

    def is_safe_url(self, url) -> bool:
        """allauth's check (this site, or a host it trusts) and ours: HTTPS only when the
        request came over HTTPS or on the production profile (common.redirects)."""
        if not super().is_safe_url(url):
            return False
        request = allauth_context.request
        host = urlsplit(url.replace("\\", "/")).netloc or request.get_host()
        return is_safe_redirect(request, url, allowed_hosts={host})

    def get_login_redirect_url(self, request):
        return reverse("shop_picker")

    def is_open_for_signup(self, request) -> bool:
        return True

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails (verification, password reset, security notices) go through the
        outbox like every other: rendered here by allauth, sent by the outbox's task."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": product_site(request)} | context,
        )
        html = next((body for body, kind in message.alternatives if kind == "text/html"), "")
        email_queue(to=message.to, subject=message.subject, body=message.body, html_body=html)

    def get_login_stages(self) -> list[str]:
        # After email verification (and any other allauth stage), before the user is logged in.
        return [*super().get_login_stages(), "accounts.twofactor.SecondFactorStage"]

    # --- sign-in by phone (User.phone, E.164), where the user has one ----------------------------
    # Numbers are set by the user's profile or by staff; there is no SMS sending, so phone is a
    # sign-in name only (no sign-up, verification or login codes by SMS).
    def get_phone(self, user):
        return (user.phone, True) if user.phone else None

    def get_user_by_phone(self, phone: str):
        from accounts.models import User

        return User.objects.filter(phone=phone, is_active=True).first()

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone
        user.save(update_fields=["phone"])

    def set_phone_verified(self, user, phone: str) -> None:
        self.set_phone(user, phone, True)

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        raise NotImplementedError("Seller Center sends no SMS.")

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth keys failed attempts by email/username only; a phone sign-in would share one
        # empty key. Count a phone attempt against the account it names (or the number).
        phone = credentials.get("phone")
        if phone and not credentials.get("email"):
            user = self.get_user_by_phone(phone)
            credentials = {"email": user.email if user else phone}
        return super()._get_login_attempts_cache_key(request, **credentials)

    def login(self, request, user) -> None:
        from accounts.reauth import mark_reauthenticated

        # Django's login() rotates the session key; the second factor (if any) was already
        # proved by SecondFactorStage and django-otp records the device via user.otp_device.
        super().login(request, user)
        mark_reauthenticated(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_app(self, request, provider, client_id=None):
        """An unconfigured provider (no client id in the environment) is a 404, not a 500."""
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as exc:
            raise Http404("This sign-in method is not available.") from exc

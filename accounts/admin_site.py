"""The staff console: django-otp's OTPAdminSite (password + the same second-factor devices
sellers use) with failed sign-ins throttled by the same per-IP and per-account limits as the
seller sign-in (allauth's ``login_failed`` rate, in the shared cache, trusted-proxy aware)."""

from allauth.account.adapter import get_adapter
from allauth.core.ratelimit import respond_429
from django.core.exceptions import ValidationError
from django_otp.admin import OTPAdminSite


class StaffAdminSite(OTPAdminSite):
    site_header = "Seller Center staff console"
    site_title = "Seller Center staff"

    def __init__(self, name: str = "admin"):
        # Keep the "admin" namespace so reverse("admin:…") works everywhere.
        super().__init__(name)

    def login(self, request, extra_context=None):
        if request.method != "POST":
            return super().login(request, extra_context)
        adapter = get_adapter(request)
        login = request.POST.get("username", "").strip().lower()
        try:
            # Counts this attempt against the IP and the account; refused once over the limit.
            adapter.pre_authenticate(request, email=login)
        except ValidationError:
            return respond_429(request)
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        password_ok = form is not None and form.get_user() is not None
        if password_ok or getattr(request.user, "otp_device", None) is not None:
            # A right password does not use up the budget; wrong codes are throttled by
            # django-otp and the second-factor lock instead.
            adapter._rollback_login_failed_rl_usage()
        return response

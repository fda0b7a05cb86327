from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Seller Center's allauth adapter: where sign-in lands, and the two-step sign-in stage."""

    def get_login_redirect_url(self, request):
        return reverse("shop_picker")

    def is_open_for_signup(self, request) -> bool:
        return True

    def get_login_stages(self) -> list[str]:
        # After email verification (and any other allauth stage), before the user is logged in.
        return [*super().get_login_stages(), "accounts.twofactor.SecondFactorStage"]

    def login(self, request, user) -> None:
        from accounts.reauth import mark_reauthenticated

        # Django's login() rotates the session key; the second factor (if any) was already
        # proved by SecondFactorStage and django-otp records the device via user.otp_device.
        super().login(request, user)
        mark_reauthenticated(request)

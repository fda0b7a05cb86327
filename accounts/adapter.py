from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Seller Center's allauth adapter: where sign-in lands, and the hooks the 2FA stage uses."""

    def get_login_redirect_url(self, request):
        return reverse("shop_picker")

    def is_open_for_signup(self, request) -> bool:
        return True

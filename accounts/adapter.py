from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.http import Http404
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Seller Center's allauth adapter: where sign-in lands, and the hooks the 2FA stage uses."""

    def get_login_redirect_url(self, request):
        return reverse("shop_picker")

    def is_open_for_signup(self, request) -> bool:
        return True


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_app(self, request, provider, client_id=None):
        """An unconfigured provider (no client id in the environment) is a 404, not a 500."""
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as exc:
            raise Http404("This sign-in method is not available.") from exc

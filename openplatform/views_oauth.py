"""The consent page of a partner app: a seller page of one shop, so the authorization (and
every token it yields) belongs to that shop. ``/oauth/authorize/`` only picks the shop."""

from urllib.parse import parse_qs, urlsplit

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from oauth2_provider.views import AuthorizationView

from accounts.audit import client_ip
from openplatform.oauth import grant_bind
from openplatform.scopes import SCOPES
from openplatform.services import partner_app_authorize
from shops import permissions as p
from shops.models import Membership, Role
from shops.tenancy import shop_view


class ShopAuthorizationView(AuthorizationView):
    template_name = "openplatform/authorize.html"

    def get(self, request, *args, **kwargs):
        if not request.GET.get("client_id"):
            return redirect("openplatform:apps", shop_slug=request.shop.slug)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["scope_words"] = [SCOPES[s] for s in kwargs.get("scopes", []) if s in SCOPES]
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        code = parse_qs(urlsplit(response.get("Location", "")).query).get("code", [""])[0]
        if form.cleaned_data.get("allow") and code:
            from oauth2_provider.models import get_application_model

            application = get_application_model().objects.get(
                client_id=form.cleaned_data["client_id"]
            )
            shop_app = partner_app_authorize(
                shop=self.request.shop,
                actor=self.request.user,
                application=application,
                scopes=form.cleaned_data.get("scope", "").split(),
                ip=client_ip(self.request),
            )
            grant_bind(code=code, shop_app=shop_app)
        return response


authorize = shop_view(p.OWNER, sensitive=True)(ShopAuthorizationView.as_view())


@login_required
def choose_shop(request):
    """``/oauth/authorize/?…``: which of your shops the app asks for (owners authorize)."""
    shops = [
        m.shop
        for m in Membership.objects.filter(user=request.user, role=Role.OWNER).select_related(
            "shop"
        )
    ]
    query = request.GET.urlencode()
    if len(shops) == 1:
        return redirect(f"/shops/{shops[0].slug}/settings/apps/authorize/?{query}")
    return render(
        request, "openplatform/authorize_choose_shop.html", {"shops": shops, "query": query}
    )

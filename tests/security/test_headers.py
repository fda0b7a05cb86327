"""Production-profile security headers on every kind of response."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from sellercenter import urls as root_urls


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [*root_urls.urlpatterns, path("__boom__/", boom)]
handler404 = root_urls.handler404
handler403 = root_urls.handler403
handler500 = root_urls.handler500

PRODUCTION_SECURITY = dict(
    DEBUG=False,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_SSL_REDIRECT=False,
    ROOT_URLCONF=__name__,
)


@pytest.mark.django_db
@override_settings(**PRODUCTION_SECURITY)
@pytest.mark.parametrize(
    ("path", "status", "login"),
    [
        ("/accounts/login/", 200, False),
        ("/shops/", 302, False),
        ("/shops/alpha-goods/orders/", 403, "staff-missing"),
        ("/nope/", 404, False),
        ("/__boom__/", 500, False),
    ],
)
def test_security_headers_on_every_status(path, status, login, shop):
    from tests.factories import MembershipFactory

    client = Client(raise_request_exception=False)
    if login:
        client.force_login(MembershipFactory(shop=shop, role="staff").user)
        path = f"/shops/{shop.slug}/finance/"
    response = client.get(path, secure=True)
    assert response.status_code == status
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    body = response.content.decode()
    assert "Traceback" not in body and "RuntimeError" not in body


@pytest.mark.django_db
@override_settings(**PRODUCTION_SECURITY)
def test_session_and_csrf_cookies_are_secure_and_http_only(owner, password):
    client = Client()
    client.get("/accounts/login/", secure=True)
    response = client.post(
        "/accounts/login/", {"login": owner.email, "password": password}, secure=True
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["secure"]

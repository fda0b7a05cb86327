"""Auth gates and CSRF over every URL in the URLconf (new URLs are covered automatically)."""

import hashlib

import pytest
from django.apps import apps
from django.core import serializers
from django.test import Client

from tests.security.urlwalk import PUBLIC_PREFIXES, all_patterns, fill

pytestmark = pytest.mark.django_db


def db_digest() -> str:
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if (
            model._meta.label in {"sessions.Session"}
            or model._meta.db_table == "sellercenter_cache"
        ):
            continue
        digest.update(serializers.serialize("json", model._base_manager.order_by("pk")).encode())
    return digest.hexdigest()


def urls_for(shop):
    for name, params in all_patterns():
        url = fill(name, params, shop)
        if url is not None:
            yield name, url


def test_anonymous_visitors_get_no_non_public_page(client, world):
    served = []
    for name, url in urls_for(world):
        if url.startswith(PUBLIC_PREFIXES) or url == "/":
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code == 200:
                served.append(f"{method.upper()} {url} ({name})")
            elif response.status_code in (301, 302):
                assert "/accounts/login/" in response["Location"], (
                    f"{url} redirects to {response['Location']}"
                )
    assert served == []


def test_every_unsafe_request_without_a_csrf_token_is_refused(world, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    before = db_digest()
    accepted = []
    for name, url in urls_for(world):
        if url.startswith("/webhooks/"):
            continue  # authenticated by a shared secret, not a session
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(url)
            if response.status_code < 400:
                accepted.append(f"{method.upper()} {url} → {response.status_code}")
    assert accepted == []
    assert db_digest() == before


def test_no_get_changes_a_row(owner_client, world):
    owner_client.get("/")  # the sign-in activity of force_login is written before we start
    changed = []
    before = db_digest()
    for _name, url in urls_for(world):
        if url.startswith("/accounts/logout") or url.startswith("/accounts/confirm-email"):
            continue
        owner_client.get(url)
        after = db_digest()
        if after != before:
            changed.append(url)
            before = after
    assert changed == []

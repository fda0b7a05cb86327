"""Follower count of a TikTok account, for the onboarding eligibility rule (SPEC §2).

``follower_count(username)`` calls a provider over HTTP with ``requests``. With no provider
configured (development, tests) a deterministic fake transport answers at the HTTP boundary, so
the same client code runs everywhere and a real provider is a matter of settings.

The fake answers from the username: ``anything_1234`` has 1,234 followers; other names get a
stable number of at least 1,000; ``missing…`` names do not exist.
"""

import hashlib
import json
import re
from urllib.parse import parse_qs, urlparse

import requests
from django.conf import settings

FAKE_BASE_URL = "https://tiktok.fake"
TIMEOUT_SECONDS = 10


class TikTokLookupError(Exception):
    """The account could not be checked; the message is fit to show the seller."""


def follower_count(username: str) -> int:
    username = username.strip().lstrip("@")
    base = settings.TIKTOK_API_BASE_URL or FAKE_BASE_URL
    try:
        response = _session().get(
            f"{base.rstrip('/')}/v2/user/info/",
            params={"username": username, "fields": "username,follower_count"},
            headers={"Authorization": f"Bearer {settings.TIKTOK_API_TOKEN}"}
            if settings.TIKTOK_API_TOKEN
            else {},
            timeout=TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise TikTokLookupError("TikTok could not be reached. Try again in a few minutes.") from exc
    if response.status_code == 404:
        raise TikTokLookupError(f"No TikTok account named @{username} was found.")
    if response.status_code != 200:
        raise TikTokLookupError("TikTok could not be reached. Try again in a few minutes.")
    try:
        return int(response.json()["data"]["user"]["follower_count"])
    except (ValueError, KeyError, TypeError) as exc:
        raise TikTokLookupError("TikTok sent an answer we could not read. Try again.") from exc


def _session() -> requests.Session:
    session = requests.Session()
    if not settings.TIKTOK_API_BASE_URL:
        session.mount(FAKE_BASE_URL, FakeTikTokTransport())
    return session


class FakeTikTokTransport(requests.adapters.BaseAdapter):
    """A requests transport that answers like the provider, deterministically, with no network."""

    def send(self, request, **kwargs):
        query = parse_qs(urlparse(request.url).query)
        username = (query.get("username") or [""])[0]
        response = requests.Response()
        response.url = request.url
        response.request = request
        response.headers["Content-Type"] = "application/json"
        if not username or username.lower().startswith("missing"):
            response.status_code = 404
            response._content = json.dumps({"error": {"code": "user_not_found"}}).encode()
            return response
        match = re.search(r"_(\d+)$", username)
        if match:
            followers = int(match.group(1))
        else:
            followers = 1000 + int(hashlib.sha256(username.encode()).hexdigest(), 16) % 50_000
        response.status_code = 200
        response._content = json.dumps(
            {"data": {"user": {"username": username, "follower_count": followers}}}
        ).encode()
        return response

    def close(self):
        pass

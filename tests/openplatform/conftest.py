import pytest
from django_scopes import scope

from openplatform.scopes import SCOPES
from openplatform.services import private_app_create


@pytest.fixture
def make_token():
    """``make_token(shop, user, scopes=None)`` → a private app's token for that shop."""

    def make(shop, user, scopes=None, name="Test tool"):
        with scope(shop=shop):
            return private_app_create(
                shop=shop, actor=user, name=name, scopes=list(scopes or SCOPES)
            )

    return make


@pytest.fixture
def token(shop, owner, make_token):
    return make_token(shop, owner).token


@pytest.fixture
def api(client, token):
    """A Django test client that sends the shop's token."""

    class Api:
        def __init__(self, token):
            self.token = token

        def _headers(self, headers):
            return {"Authorization": f"Bearer {self.token}", **(headers or {})}

        def get(self, path, headers=None, **params):
            return client.get(path, params, headers=self._headers(headers))

        def send(self, method, path, body=None, headers=None, raw=None):
            import json

            data = raw if raw is not None else json.dumps(body if body is not None else {})
            return getattr(client, method)(
                path, data, content_type="application/json", headers=self._headers(headers)
            )

        def post(self, path, body=None, **kw):
            return self.send("post", path, body, **kw)

        def patch(self, path, body=None, **kw):
            return self.send("patch", path, body, **kw)

        def put(self, path, body=None, **kw):
            return self.send("put", path, body, **kw)

    return Api(token)

"""Every seller form fuzzed with hypothesis: no 5xx, nothing invalid stored, no raw markup.

Shop B's owner finds every form on B's seller pages (POST forms and GET filter forms, with
their fields and current values, tests/security/forms.py). Each is fuzzed with up to
MAX_EXAMPLES generated submissions mixing its own values and choices with hostile strings (a
``<script>`` canary, NUL, right-to-left marks, 10,000 characters, template and format strings),
huge and non-finite numbers and odd dates. Forms with a Django form class that hypothesis can
draw from (``from_form``) are fuzzed that way too. Data accumulates (no rollback), so later
pages render what earlier examples stored; afterwards every page of B, plain and as an htmx
partial, must never show the canary unescaped, and every row of B must pass its model's own
validation (``full_clean``).
"""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.factories import sign_in_verified
from tests.security.forms import forms_in
from tests.security.worlds import body_of, urls_for

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 15  # per form; with the deterministic KILLERS this keeps the suite near 2 minutes
SCRIPT = '<script>alert("xss-7f3a")</script>'
HOSTILE = [
    SCRIPT,
    f'"><img src=x onerror=alert(1)>{SCRIPT}',
    "' OR 1=1 --",
    "a\x00b",
    "\u202egnp.exe",
    "𝕳𝖊𝖑𝖑𝖔 🛒",
    "x" * 10_000,
    "{{ 7|add:7 }}{% now 'Y' %}",
    "%s%s%s%n",
    " ",
    "",
    "-1",
    "0",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "0.0000000001",
    "12.345",
    "2147483648",
    "9223372036854775808",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "1900-01-01T25:61",
    "../../etc/passwd",
]
# Also sent deterministically, every field of a form at once, before hypothesis explores.
KILLERS = [
    "9223372036854775808",
    "-9223372036854775809",
    "1e309",
    "NaN",
    "a\x00b",
    "0001-01-01",
    "9999-12-31",
    SCRIPT,
    "x" * 10_000,
]
SKIP_ACTIONS = ("/delete", "/unlink", "/deactivate", "/leaving/delete", "/submit")
SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],  # report every failure, no time spent shrinking
)


def value_strategy(own: list[str], choices: list[str]):
    known = [v for v in own + choices if v is not None]
    parts = [
        st.sampled_from(HOSTILE),
        st.text(max_size=40),
        st.integers(-(10**20), 10**20).map(str),
        st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
        st.dates(min_value=datetime.date(1, 1, 1)).map(lambda d: d.isoformat()),
    ]
    if known:
        parts.insert(0, st.sampled_from(known))
    return st.one_of(parts)


def field_names(form) -> list[str]:
    names = sorted(n for n in set(form.fields) | set(form.choices) if n != "csrfmiddlewaretoken")
    return [n for n in names if form.types.get(n) != "file"]


def form_strategy(form):
    names = field_names(form)
    return st.fixed_dictionaries(
        {},
        optional={
            n: value_strategy(form.fields.get(n, []), form.choices.get(n, [])) for n in names
        },
    )


def discover(client, pages):
    """(method, action, form) of every form on the pages, one per (method, action)."""
    found = {}
    for url in pages:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in forms_in(response.content.decode(), url):
            path = form.action.split("#")[0]
            if form.method == "get":
                path = path.split("?")[0]
            if not path.startswith("/shops/") or any(s in path for s in SKIP_ACTIONS):
                continue
            found.setdefault((form.method, path), form)
    return found


def check(client, method, url, data, problems):
    response = getattr(client, method)(url, data)
    if response.status_code >= 500:
        problems.append(f"{method.upper()} {url} {data!r} → {response.status_code}")
    if SCRIPT in body_of(response):
        problems.append(f"{method.upper()} {url} shows the script unescaped")


def fuzz(client, method, url, strategy, problems, names=()):
    for killer in KILLERS if names else ():
        check(client, method, url, dict.fromkeys(names, killer), problems)

    @SETTINGS
    @given(data=strategy)
    def run(data):
        check(client, method, url, data, problems)

    run()


def test_every_seller_form_survives_fuzzing(client, b_world, other_owner):
    shop_b = b_world
    client.raise_request_exception = False  # a 500 is recorded, and fuzzing goes on
    sign_in_verified(client, other_owner)
    pages = [u for _, u in urls_for(shop_b, only=lambda n, p: "shop_slug" in p)]
    forms = discover(client, pages)
    assert sum(1 for m, _ in forms if m == "post") >= 15, sorted(forms)
    problems: list[str] = []
    for (method, action), form in sorted(forms.items(), key=lambda kv: kv[0]):
        fuzz(client, method, action, form_strategy(form), problems, field_names(form))
        sign_in_verified(client, other_owner)  # a form may have ended the session (sign-out)
    for (method, url), strategy in django_form_strategies(shop_b).items():
        fuzz(client, method, url, strategy, problems)
    assert problems == [], "\n".join(sorted(set(p[:300] for p in problems))[:40])

    # What was stored renders escaped everywhere, and passes its model's own validation.
    for _, url in urls_for(shop_b, only=lambda n, p: "shop_slug" in p):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            assert response.status_code < 500, f"GET {url} → {response.status_code}"
            assert SCRIPT not in body_of(response), f"GET {url} shows the script unescaped"
    invalid = []
    for model in apps.get_models():
        if not any(f.name == "shop" for f in model._meta.fields):
            continue
        for row in model._base_manager.filter(shop=shop_b):
            try:
                row.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                invalid.append(f"{model._meta.label} #{row.pk}: {error.message_dict}")
    assert invalid == []


def django_form_strategies(shop):
    """hypothesis.extra.django.from_form for the seller forms it can draw without help."""
    from hypothesis.extra.django import from_form

    from catalog.forms import SkuInlineForm
    from catalog.models import SKU
    from orders.finance.forms import WithdrawalForm
    from orders.inbox.forms import MessageForm
    from orders.inbox.models import Conversation
    from orders.returns.forms import ReturnPolicyForm
    from shops.onboarding.forms import BankAccountForm, TikTokForm

    def url(name, **kwargs):
        return reverse(name, kwargs={"shop_slug": shop.slug, **kwargs})

    def as_data(form_class, **fields):
        return from_form(form_class, **fields).map(lambda form: dict(form.data.items()))

    with scope(shop=shop):
        sku = SKU.objects.first()
        conversation = Conversation.objects.first()
    return {
        ("post", url("orders:return_policy")): as_data(ReturnPolicyForm),
        ("post", url("orders:finance_withdraw")): as_data(WithdrawalForm),
        ("post", url("shops:bank_account")): as_data(BankAccountForm),
        ("post", url("onboarding:tiktok")): as_data(TikTokForm),
        ("post", url("catalog:product_sku_inline", sku_id=sku.pk)): as_data(SkuInlineForm),
        ("post", url("orders:inbox_reply", conversation_id=conversation.pk)): as_data(MessageForm),
    }

"""Mass assignment: hostile ``shop``/``owner``/``status``/``id``… fields change nothing.

Shop B's owner finds every POST form on B's seller pages (their action URL, fields and current
values) plus every POST-accepting seller URL without a form. Each is posted twice from the same
database state (a savepoint rolled back after each): once with the form's own fields only, once
with the same fields plus hostile ones naming shop A, A's owner, A's object ids and a status.
The protected columns (shop, status, user, owner, actor) of every row must end the same both
times — the hostile fields had no effect — no row may move to another shop, and shop A's rows are
untouched.
"""

from collections import Counter

import pytest
from django.apps import apps
from django.db import transaction
from django_scopes import scope

from catalog.models import Product
from orders.models import Order
from tests.factories import SKUFactory, sign_in_verified
from tests.security.forms import post_forms
from tests.security.worlds import urls_for
from tests.shops.test_tenant_isolation import shop_rows_digest

pytestmark = pytest.mark.django_db

PROTECTED = ("shop", "status", "user", "owner", "actor", "requested_by", "created_by")
SKIP_NAMES = {"csrfmiddlewaretoken"}
# Valid values for fields a page leaves empty, so the baseline post really does its action.
FILL = {
    "amount": "20.00",
    "body": "Thanks, on its way.",
    "legal_name": "Bea Beta",
    "holder_name": "Bea Beta",
    "address_line1": "1 Main St",
    "city": "Austin",
    "state": "TX",
    "postcode": "73301",
    "region": "US",
    "contact_email": "bea@beta.test",
    "contact_phone": "+14155550100",
    "date_of_birth": "1990-01-01",
    "username": "seller_5000",
    "tracking_number": "1Z999AA10123456784",
    "routing_number": "011000015",
    "account_number": "000123456789",
    "name": "Beta express",
    "flat_rate": "5.00",
    "min_days": "2",
    "max_days": "5",
}


def shop_owned_models():
    return [m for m in apps.get_models() if any(f.name == "shop" for f in m._meta.fields)]


def protected_state():
    """Per model, the multiset of (protected columns) over all rows, plus each row's shop."""
    state, homes = {}, {}
    for model in apps.get_models():
        names = [f.attname for f in model._meta.fields if f.name in PROTECTED]
        if not names:
            continue
        rows = list(model._base_manager.values_list("pk", *names))
        state[model._meta.label] = Counter(tuple(r[1:]) for r in rows)
        if "shop_id" in names:
            at = names.index("shop_id") + 1
            homes |= {(model._meta.label, r[0]): r[at] for r in rows}
    return state, homes


def attempt(client, url, data):
    """Post, read the outcome, roll the database back to before the post."""
    with transaction.atomic():
        response = client.post(url, data)
        state, homes = protected_state()
        transaction.set_rollback(True)
    return response.status_code, state, homes


def test_hostile_fields_on_every_seller_form_change_nothing(
    client, canary_world, b_world, owner, other_owner
):
    shop_a, shop_b = canary_world, b_world
    victim = owner  # shop A's owner
    attacker = other_owner
    SKUFactory(product__shop=shop_b, product__title="Second", product__status="draft")
    sign_in_verified(client, attacker)
    pages = [u for _, u in urls_for(shop_b, only=lambda n, p: "shop_slug" in p)]
    forms = post_forms(client, pages)
    assert len(forms) >= 15, sorted(forms)
    # POST-accepting URLs with no form on any page (htmx actions, exports…): hostile fields only.
    for url in pages:
        forms.setdefault(url, None)

    with scope(shop=shop_a):
        a_product = Product.objects.first()
        a_order = Order.objects.first()
    a_digest = shop_rows_digest(shop_a)
    _, homes_before = protected_state()
    effects, posted = [], 0
    for url, form in sorted(forms.items(), key=lambda kv: kv[0]):
        if any(word in url for word in ("/delete", "/unlink", "/deactivate")) and form is None:
            continue
        own = {k: v for k, v in (form.data() if form else {}).items() if k not in SKIP_NAMES}
        for name, value in own.items():
            if value in ([], [""]) and name in FILL:
                own[name] = [FILL[name]]
            elif value in ([], [""]) and name.startswith("qty_"):
                own[name] = ["1"]
        if "/products/" in url:
            statuses = ["live"]
        elif "/orders/" in url or "/returns/" in url:
            statuses = ["completed"]
        else:
            statuses = ["banned"]
        for status in statuses:
            hostile = {
                "shop": shop_a.pk,
                "shop_id": shop_a.pk,
                "shop_slug": shop_a.slug,
                "owner": victim.pk,
                "owner_id": victim.pk,
                "user": victim.pk,
                "user_id": victim.pk,
                "actor": victim.pk,
                "requested_by": victim.pk,
                "status": status,
                "id": a_product.pk if "product" in url else a_order.pk,
                "pk": a_product.pk,
            }
            hostile = {k: v for k, v in hostile.items() if k not in own}  # the form's own win
            base_code, base_state, _ = attempt(client, url, own)
            code, state, homes = attempt(client, url, {**own, **hostile})
            posted += 1
            assert code < 500 and base_code < 500, f"POST {url} → {base_code}/{code}"
            if state != base_state:
                changed = sorted(k for k in state if state[k] != base_state.get(k))
                effects.append(f"POST {url} status={status}: hostile fields changed {changed}")
            moved = [
                key
                for key, shop_id in homes.items()
                if key in homes_before and homes_before[key] != shop_id
            ]
            assert moved == [], f"POST {url} moved rows to another shop: {moved}"
            new_foreign = [
                key
                for key, shop_id in homes.items()
                if key not in homes_before and shop_id != shop_b.pk
            ]
            assert new_foreign == [], f"POST {url} created rows in another shop: {new_foreign}"
    assert posted >= 40
    assert effects == []
    assert shop_rows_digest(shop_a) == a_digest

"""docs/api-example.py against the live server: list, adjust stock, ship with tracking, and a
signed order.status_changed webhook verified with standardwebhooks."""

import subprocess
import sys
from pathlib import Path

import pytest

from openplatform.scopes import SCOPES
from openplatform.services import private_app_create
from tests.factories import (
    MembershipFactory,
    OrderFactory,
    OrderLineFactory,
    ShopFactory,
    SKUFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)
SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "api-example.py"


def test_the_requests_example_runs_against_the_live_server(live_server):
    from django_scopes import scope

    shop = ShopFactory(slug="harbor")
    owner = MembershipFactory(shop=shop, role="owner").user
    sku = SKUFactory(product__shop=shop, product__title="Rope Basket", on_hand=4, reserved=1)
    order = OrderFactory(shop=shop, number="EXAMPLE01")
    OrderLineFactory(order=order, sku=sku, product=sku.product, quantity=1)
    with scope(shop=shop):
        token = private_app_create(
            shop=shop, actor=owner, name="Example", scopes=list(SCOPES)
        ).token
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--base-url", live_server.url, "--token", token],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "on hand 4 → 9" in run.stdout
    assert "order EXAMPLE01: awaiting_collection" in run.stdout
    assert "verified webhook msg_" in run.stdout and "→ awaiting_collection" in run.stdout

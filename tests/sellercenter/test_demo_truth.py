"""Demo data that tells the truth: the seeded history reads as if the daily jobs had run over
it, refunded returns carry their amount, history and ledger entry, the demo shops finished
onboarding, and the logins the seed prints are the README's."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from common.clock import local_date
from orders.finance.models import LedgerEntry
from orders.returns.models import ReturnRequest
from shops.models import Shop
from shops.onboarding.progress import onboarding_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    out = io.StringIO()
    call_command("seed_demo", "--seed", "3", stdout=out)
    return out.getvalue()


def test_no_return_waits_past_its_answer_day_and_refunds_have_amount_history_and_ledger(seeded):
    now = timezone.now()
    with scopes_disabled():
        returns = list(ReturnRequest.objects.prefetch_related("history").select_related("line"))
        refund_rows = {e.return_request_id: e for e in LedgerEntry.objects.filter(kind="refund")}
    assert returns
    statuses = {r.status for r in returns}
    # Where each return stands depends on the hour the seed runs ("approved" lasts a day or two
    # before the buyer ships or the refund goes out): the waiting and the finished ones are
    # always there, and every return past "requested" was answered on its way.
    assert {"requested", "refunded"} <= statuses
    answered = [r for r in returns if r.status not in ("requested", "rejected")]
    assert answered and all("approved" in [h.to_status for h in r.history.all()] for r in answered)
    for r in returns:
        history = list(r.history.all())
        assert history[0].to_status == "requested" and history[-1].to_status == r.status, r.pk
        assert [h.created_at for h in history] == sorted(h.created_at for h in history)
        assert all(h.created_at <= now for h in history)
        if r.status == "requested":
            assert r.answer_by > now, f"return {r.pk} is past its answer day"
        if r.status == "refunded":
            assert r.refund_amount == r.line.line_total
            assert refund_rows[r.pk].amount == -r.refund_amount
    # The answer window closed with no answer: the system approved it when it closed.
    auto = [h for r in returns for h in r.history.all() if h.actor_kind == "system"]
    assert auto and all(h.created_at.minute == 0 for h in auto)


def test_demo_shops_finished_onboarding_and_the_printed_logins_are_the_readmes(seeded):
    with scopes_disabled():
        for shop in Shop.objects.filter(slug__in=["sunny-threads", "lumen-home", "glow-lab"]):
            progress = onboarding_progress(shop=shop, today=local_date())
            assert progress.all_done, (shop.slug, [s.key for s in progress.steps if not s.done])
            assert progress.latest_submission.status == "approved"
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    table = readme.split("### Demo logins", 1)[1].split("\n\n", 2)[2].split("\n\n", 1)[0]
    documented = re.findall(r"`([\w.]+@demo\.test)`", table)
    printed = re.findall(r"^\s+([\w.]+@demo\.test)\s", seeded, re.M)
    assert documented == printed
    assert "other@demo.test" in printed


def test_the_demo_shops_answer_most_buyers_within_the_day(seeded):
    """Home's response-rate tile of an established demo shop reads like a real shop's: buyers
    wrote in the last 30 days and most were answered within the policy's hours."""
    from orders.inbox.selectors import response_rate

    now = timezone.now()
    with scopes_disabled():
        active = Shop.objects.filter(slug__in=["sunny-threads", "lumen-home", "glow-lab"])
        rates = {shop.slug: response_rate(shop, now) for shop in active}
    assert rates
    for slug, rate in rates.items():
        assert rate.counted >= 3, (slug, rate)
        assert rate.answered_in_time / rate.counted >= 0.5, (slug, rate)


def test_demo_order_lines_name_their_variant_as_checkout_does(seeded):
    from orders.models import OrderLine
    from orders.services.checkout_read import line_title

    with scopes_disabled():
        lines = list(OrderLine.objects.select_related("sku__product"))
    with_variant = [line for line in lines if line.sku.attributes]
    assert with_variant, "the demo sells variants"
    assert all(line.title == line_title(line.sku) for line in lines)
    assert all(f"({line.sku.label})" in line.title for line in with_variant)

"""SPEC §9.2: notices say what actually happened. A shop that reaches day 67 with no live
product (it went quiet again after an earlier delisting) is told it is under investigation with
its daily order cap — not that products were delisted — and no products are listed."""

import pytest
from django.core import mail
from django_scopes import scope

from lifecycle.models import InactivityNotice
from shops import activity
from tests.lifecycle.conftest import make_seller_shop, moment

pytestmark = pytest.mark.django_db


def one_email():
    (message,) = mail.outbox
    mail.outbox.clear()
    return message.subject, " ".join(message.body.split())


def test_the_first_delisting_names_how_many_products_went_offline(run_sweep, override_policy):
    override_policy(investigation_daily_order_cap=8)
    shop = make_seller_shop("Sleepy")
    run_sweep(60)
    mail.outbox.clear()
    run_sweep(67)
    subject, body = one_email()
    assert "Your products in Sleepy were delisted for inactivity" in subject
    assert "its 2 live products were delisted" in body
    assert "at most 8 orders a day" in body
    with scope(shop=shop):
        assert InactivityNotice.objects.get(stage="delisted").products_delisted == 2


def test_quiet_again_after_a_delisting_the_notice_says_investigation_and_names_no_product(
    run_sweep, override_policy
):
    override_policy(investigation_daily_order_cap=8)
    shop = make_seller_shop("Sleepy")
    run_sweep(60)
    run_sweep(67)  # products delisted; the seller never re-lists
    activity.record(shop=shop, kind=activity.Kind.SIGNED_IN, at=moment(70, 9))  # one sign-in
    run_sweep(71)  # the episode closes
    mail.outbox.clear()

    run_sweep(130)  # 60 days after that sign-in: the second episode's first reminder
    assert "has been inactive" in one_email()[0]
    run_sweep(137)  # its day 67: nothing is live any more

    subject, body = one_email()
    assert subject.endswith("Sleepy is under investigation for inactivity")
    assert "delisted" not in subject
    assert "under investigation: it can accept at most 8 orders a day" in body
    assert "were delisted" not in body and "was delisted" not in body
    for title in ("Sleepy Live one", "Sleepy Live two", "Sleepy paused", "Sleepy draft"):
        assert title not in body
    with scope(shop=shop):
        notices = list(
            InactivityNotice.objects.filter(stage="delisted").values_list("products_delisted")
        )
    assert notices == [(2,), (0,)]
    shop.refresh_from_db()
    assert shop.in_investigation is True


def test_one_product_reads_in_the_singular(run_sweep):
    shop = make_seller_shop("Sleepy")
    with scope(shop=shop):
        shop.products.filter(title="Sleepy Live two").update(status="deactivated")
    run_sweep(60)
    mail.outbox.clear()
    run_sweep(67)
    assert "its 1 live product was delisted" in one_email()[1]

"""The bench's sweep data set is a steady state: after daily sweeps until yesterday, exactly the
shops 60, 67, 90 and 97 days inactive are due today, each for one stage."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from bench.backend import S, _at, _steady_state
from common.clock import local_date
from lifecycle.models import InactivityEpisode, InactivityNotice
from lifecycle.services.inactivity.sweep import sweep_inactivity
from tests.factories import ShopFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bench_settings")]


def test_steady_state_shops_are_due_for_one_stage_on_the_swept_day():
    day = local_date() - timedelta(days=1)
    shops = {}
    with scopes_disabled():
        for inactive in range(55, 151):
            for deposit in (False, True):
                last = day - timedelta(days=inactive)
                state = _steady_state(day, inactive, deposit)
                shop = ShopFactory(
                    status="banned" if state and state[0] == S.BANNED else "active",
                    on_probation=False,
                    store_deposit_paid=deposit,
                    last_activity_at=_at(last),
                )
                if inactive >= 60 and state:
                    stage, since, opened = state
                    InactivityEpisode.objects.create(
                        shop=shop, started_at=_at(last), opened_on=opened, stage=stage,
                        stage_date=since, closed_at=_at(since) if stage == S.BANNED else None,
                    )  # fmt: skip
                shops[shop.pk] = (inactive, deposit)
        sweep_inactivity(run_date=day)
        reached = {shops[n.shop_id]: n.stage for n in InactivityNotice.objects.filter(on_date=day)}
    expected = {}
    for deposit in (False, True):
        expected[(60, deposit)] = S.FIRST_REMINDER
        expected[(67, deposit)] = S.DELISTED
        expected[(90, deposit)] = S.SECOND_REMINDER
        expected[(97, deposit)] = S.BAN_WAIVED if deposit else S.BANNED
    assert reached == expected

"""Two beats (a deployment mistake) still sweep once: the advisory lock for the date."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django_scopes import scope

from lifecycle.models import InactivityNotice, SweepRun
from lifecycle.services.inactivity import sweep
from lifecycle.services.inactivity.sweep import sweep_inactivity
from tests.concurrency import at_once
from tests.lifecycle.conftest import day, make_seller_shop

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_sweep_skips_while_another_holds_the_lock_for_its_date():
    make_seller_shop("Locked")
    held, release = threading.Event(), threading.Event()

    def other_beat():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_try_advisory_xact_lock(%s, %s)",
                        [sweep._LOCK_NAMESPACE, day(60).toordinal()],
                    )
                    assert cursor.fetchone()[0]
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_beat)
    thread.start()
    assert held.wait(10)
    try:
        result = sweep_inactivity(run_date=day(60))
        assert result.skipped and mail.outbox == []
        assert SweepRun.objects.get(pk=result.run_id).status == "skipped"
        # Another date is not blocked.
        assert not sweep_inactivity(run_date=day(61)).skipped
    finally:
        release.set()
        thread.join()


def test_two_beats_at_once_send_every_notice_once():
    shops = [make_seller_shop(f"Twin{i}") for i in range(5)]
    at_once(lambda _: sweep_inactivity(run_date=day(60)), range(2))  # an error is raised here
    for shop in shops:
        with scope(shop=shop):
            assert InactivityNotice.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"owner@twin{i}.test" for i in range(5))

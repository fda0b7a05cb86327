"""Tasks are delivered at least once: a worker killed mid-task leaves it to run again (the chaos
run kills workers on purpose), and no worker holds tasks it is not running."""

from sellercenter.celery import app


def test_a_task_is_acknowledged_only_after_it_ran_and_workers_take_one_at_a_time():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.accept_content in (["json"], ("json",))

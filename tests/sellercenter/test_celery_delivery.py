"""Tasks are delivered at least once: a worker killed mid-task leaves it to run again (the chaos
run kills workers on purpose), and no worker holds tasks it is not running."""

from sellercenter.celery import app


def test_a_task_is_acknowledged_only_after_it_ran_and_workers_take_one_at_a_time():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.accept_content in (["json"], ("json",))


def test_every_task_of_ours_takes_at_least_once_delivery_from_the_one_config():
    """The app config is the one home of the delivery rule: no task sets it apart."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        if find_spec(f"{config.name}.tasks") is not None:
            import_module(f"{config.name}.tasks")
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert len(ours) >= 30
    assert {name for name, task in ours.items() if not task.acks_late} == set()
    assert {name for name, task in ours.items() if not task.ignore_result} == set()

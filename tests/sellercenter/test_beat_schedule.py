"""The one beat schedule: every entry runs a task Celery knows, expires, and has a real schedule."""

from datetime import timedelta

import pytest
from celery.schedules import crontab

from sellercenter.celery import BEAT_SCHEDULE, app

# Importing the tasks runs Celery's Django fixup, which closes the database connections.
pytestmark = pytest.mark.django_db


def test_the_app_runs_the_one_schedule():
    assert app.conf.beat_schedule is BEAT_SCHEDULE


@pytest.mark.parametrize("name", sorted(BEAT_SCHEDULE))
def test_every_beat_entry_names_a_registered_task_expires_and_has_a_schedule(name):
    app.loader.import_default_modules()
    entry = BEAT_SCHEDULE[name]
    assert entry["task"] in app.tasks, f"{name}: {entry['task']} is not a registered task"
    assert entry["options"]["expires"] > 0, f"{name} never expires"
    assert isinstance(entry["schedule"], crontab | timedelta), name

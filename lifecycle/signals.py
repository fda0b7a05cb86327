"""Signals the lifecycle sends, so apps above it (the Open Platform's webhooks) can react.

``inactivity_stages_reached``: sent inside the inactivity sweep's transaction once every stage
of the run is written, with ``run`` (the SweepRun) and ``notices`` (a queryset of the run's
InactivityNotice rows: one per shop and stage reached). A receiver reads it in bulk — the sweep
may move thousands of shops — and its writes commit or roll back with the sweep (a dry run
rolls back).
"""

from django.dispatch import Signal

inactivity_stages_reached = Signal()

"""State machines: the one way a status changes (ARCHITECTURE §State machines).

A model with a state machine declares, next to its fields:

    ALLOWED = {from_status: {to_status, ...}, ...}       # its transition table
    def history_row(self, **change) -> Model             # the unsaved history row of one
        # change (its *StatusChange, decision or audit row); ``change`` holds from_status,
        # to_status and the caller's ``history`` details (actor, reason, note…)

``transition`` moves one row, ``transition_bulk`` a set of rows. Both lock the rows, check
the table (after the caller's own rules, if any), write the new status with the caller's other
fields, and write one history row per row moved — in one transaction, or not at all.
Nothing else writes a status field: tests/test_status_writes.py fails on any other write.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.dispatch import Signal

from common.errors import IllegalTransition

# Sent inside the move's transaction, after the rows and their history are written, with
# sender=the model, moved=[(row, from_status), ...] and to=the new status: an outbox (the Open
# Platform's webhook events) writes its rows here, so they commit or roll back with the change.
status_moved = Signal()

STATUS = "status"
# Rows per UPDATE of a bulk move: one statement for any ordinary set, and below SQLite's
# limit of bound parameters for the very large ones (a whole catalogue delisted).
UPDATE_BATCH = 10_000

Values = Mapping[str, Any] | Callable[[models.Model], Mapping[str, Any]]
Rule = Callable[[models.Model], str | None]


class TransitionRefused(IllegalTransition):
    """A status change the transition table (or the caller's rules) does not allow.

    ``str(exc)`` is the sentence a person sees. Nothing was written.
    """


@dataclass(frozen=True)
class Transition:
    """One move: the locked row as written, where it came from, and its history row."""

    row: models.Model
    from_status: str
    history: models.Model


@dataclass
class BulkTransition:
    """What a bulk move did: the rows it moved and, for each row it left alone, why."""

    moved: list[models.Model] = field(default_factory=list)
    skipped: list[tuple[models.Model, str]] = field(default_factory=list)


def transition(
    row: models.Model,
    to: str,
    *,
    history: Values | None = None,
    fields: Values | None = None,
    check: Rule | None = None,
    refused: Callable[[models.Model], str] | None = None,
    error: Callable[[str], Exception] = TransitionRefused,
) -> Transition:
    """Move one row to ``to`` and write its history row.

    ``fields`` are written with the status, ``history`` goes into the history row (each a dict,
    or a function of the locked row). ``check`` is the caller's own rule on the locked row (who
    may, listing checks): it returns why not, or None. ``refused`` words a refusal by the table.
    A refusal raises ``error(sentence)`` and writes nothing. The caller's ``row`` gets the new
    status and fields too.
    """
    model = type(row)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=row.pk)
        why = _refusal(locked, to, check, refused)
        if why:
            raise error(why)
        current = getattr(locked, STATUS)
        changes = {STATUS: to, **_values(fields, locked)}
        details = _values(history, locked)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(changes))
        history_row = locked.history_row(from_status=current, to_status=to, **details)
        history_row.save()
        status_moved.send(sender=model, moved=[(locked, current)], to=to)
    if row is not locked:
        for name in changes:
            setattr(row, name, getattr(locked, name))
    return Transition(row=locked, from_status=current, history=history_row)


def transition_bulk(
    queryset: models.QuerySet,
    to: str,
    *,
    history: Values | None = None,
    fields: Mapping[str, Any] | None = None,
    check: Rule | None = None,
    refused: Callable[[models.Model], str] | None = None,
) -> BulkTransition:
    """Move every row of ``queryset`` that may go to ``to``; skip (and report) the others.

    One SELECT … FOR UPDATE reads and locks the rows, one UPDATE writes the status and
    ``fields`` (the same for every row; expressions such as ``F("status")`` read the row's
    value before the update), one INSERT writes the history rows (``history`` may be a
    function of each row). Rows the table or ``check`` refuses are returned in ``skipped``
    with the reason, never raised: sweeps move what they can.
    """
    model = queryset.model
    result = BulkTransition()
    with transaction.atomic():
        for row in queryset.select_for_update(of=("self",)).order_by("pk"):
            why = _refusal(row, to, check, refused)
            if why:
                result.skipped.append((row, why))
            else:
                result.moved.append(row)
        if not result.moved:
            return result
        changes = {STATUS: to, **(fields or {})}
        pks = [row.pk for row in result.moved]
        for start in range(0, len(pks), UPDATE_BATCH):
            model._base_manager.filter(pk__in=pks[start : start + UPDATE_BATCH]).update(**changes)
        rows = [
            row.history_row(from_status=getattr(row, STATUS), to_status=to, **_values(history, row))
            for row in result.moved
        ]
        type(rows[0])._base_manager.bulk_create(rows, batch_size=UPDATE_BATCH)
        status_moved.send(
            sender=model, moved=[(row, getattr(row, STATUS)) for row in result.moved], to=to
        )
    for row in result.moved:
        setattr(row, STATUS, to)
    return result


def _refusal(row: models.Model, to: str, check: Rule | None, refused) -> str | None:
    why = check(row) if check else None
    if why:
        return why
    if to in row.ALLOWED.get(getattr(row, STATUS), set()):
        return None
    return refused(row) if refused else _table_refusal(row, to)


def _table_refusal(row: models.Model, to: str) -> str:
    labels = dict(row._meta.get_field(STATUS).flatchoices)
    current = getattr(row, STATUS)
    return (
        f"This {row._meta.verbose_name} is {str(labels.get(current, current)).lower()}; "
        f"it cannot become {str(labels.get(to, to)).lower()}."
    )


def _values(values: Values | None, row: models.Model) -> dict[str, Any]:
    if values is None:
        return {}
    return dict(values(row) if callable(values) else values)

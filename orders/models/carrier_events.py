"""The ids of carrier events already applied: a duplicate delivery of one event changes nothing.

Not a shop's row: the carrier's event may concern packages of any shop. An id only needs keeping
for as long as its signed request can still be replayed (common.webhooks' window); the rows are
small, one per event, and nothing reads them but the webhook's unique index."""

from django.db import models
from django.utils import timezone


class CarrierEventReceipt(models.Model):
    event_id = models.CharField(max_length=200, unique=True)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.event_id

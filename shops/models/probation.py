"""Probation (SPEC §3): the violation ledger and the probation period of an approved shop."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from shops.models.shop import Shop


class Violation(models.Model):
    """A policy violation ledger entry; points and fraud feed probation and program eligibility."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="violations")
    # Signed: staff correct the total with a negative entry (the ledger is never edited).
    points = models.SmallIntegerField()
    reason = models.CharField(max_length=255)
    fraud = models.BooleanField("fraud-related", default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.points} pt · {self.reason}"


class ShopProbation(models.Model):
    """The probation period of an approved shop (SPEC §3). ``Shop.on_probation`` mirrors it."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="probation")
    started_at = models.DateTimeField(default=timezone.now)
    # Staff may extend: the daily check does not end probation before this date.
    extended_until = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.CharField(max_length=255, blank=True)

    objects = ScopedManager(shop="shop")

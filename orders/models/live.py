from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from shops.models import Shop


class LiveSession(models.Model):
    """A live-stream selling session. Orders it brings carry traffic source "live"."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=150)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    peak_viewers = models.PositiveIntegerField(default=0)
    total_viewers = models.PositiveIntegerField(default=0)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["shop", "-started_at"])]

    def __str__(self) -> str:
        return self.title

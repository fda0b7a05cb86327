# Lifecycle models (inactivity episodes, sweep runs, eligibility history) arrive with their issue.

# --- Program eligibility history (SPEC §3; issue 3) -------------------------------------------
from django.conf import settings  # noqa: E402
from django.db import models  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import ScopedManager  # noqa: E402

from shops.models import Shop  # noqa: E402


class EligibilityEvaluation(models.Model):
    """One evaluation of the six program criteria; kept as history, newest decides."""

    class Trigger(models.TextChoices):
        MONTHLY = "monthly", "Monthly evaluation"
        ON_DEMAND = "on_demand", "Checked on demand"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="eligibility_evaluations")
    evaluated_at = models.DateTimeField(default=timezone.now)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    eligible = models.BooleanField()
    # [{key, label, value, threshold, passed, fix}], as shown to the seller at the time.
    criteria = models.JSONField(default=list)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-evaluated_at", "-id"]
        indexes = [models.Index(fields=["shop", "-evaluated_at"])]

    def __str__(self) -> str:
        return f"{self.shop} {'eligible' if self.eligible else 'not eligible'} at {self.evaluated_at:%Y-%m-%d}"

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from shops.models import Shop

# =============================================================================================
# Inactivity (SPEC §9.2) and leaving (SPEC §9.3) — the inactivity sweep, re-listing, unlink,
# deactivate, delete and data export. Program eligibility keeps its own block below.
# =============================================================================================


class InactivityStage(models.TextChoices):
    FIRST_REMINDER = "first_reminder", "First reminder"
    DELISTED = "delisted", "Products delisted, investigation period"
    SECOND_REMINDER = "second_reminder", "Second reminder (ban warning)"
    BANNED = "banned", "Banned"
    BAN_WAIVED = "ban_waived", "Not banned: store deposit paid"


class SweepRun(models.Model):
    """One run of the daily inactivity sweep: the date it acted for and what it did."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running (or died)"
        FINISHED = "finished", "Finished"
        SKIPPED = "skipped", "Skipped: another sweep held the lock for this date"

    run_date = models.DateField(db_index=True, help_text="The platform-calendar day swept for.")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    episodes_closed = models.PositiveIntegerField(
        default=0, help_text="Episodes closed because the shop was active again."
    )
    first_reminders = models.PositiveIntegerField(default=0)
    delisted = models.PositiveIntegerField(default=0)
    second_reminders = models.PositiveIntegerField(default=0)
    banned = models.PositiveIntegerField(default=0)
    bans_waived = models.PositiveIntegerField(default=0)
    products_delisted = models.PositiveIntegerField(default=0)
    emails_queued = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Inactivity sweep for {self.run_date} ({self.get_status_display()})"

    COUNT_FIELDS = {
        InactivityStage.FIRST_REMINDER: "first_reminders",
        InactivityStage.DELISTED: "delisted",
        InactivityStage.SECOND_REMINDER: "second_reminders",
        InactivityStage.BANNED: "banned",
        InactivityStage.BAN_WAIVED: "bans_waived",
    }


class InactivityEpisode(models.Model):
    """One stretch of inactivity of a shop, from its first reminder until activity (or a ban).

    ``started_at`` is the last activity the countdown runs from; ``stage`` is how far the sweep
    has gone and ``stage_date`` the platform day it got there (the next step is dated from it).
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="inactivity_episodes")
    started_at = models.DateTimeField()
    opened_on = models.DateField()
    stage = models.CharField(max_length=16, choices=InactivityStage.choices)
    stage_date = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=16, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            # The claim of the first-reminder stage: at most one open episode per shop.
            models.UniqueConstraint(
                fields=["shop"],
                condition=Q(closed_at__isnull=True),
                name="inactivity_one_open_episode_per_shop",
            )
        ]
        indexes = [
            models.Index(
                fields=["stage", "stage_date"],
                condition=Q(closed_at__isnull=True),
                name="inactivity_open_by_stage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.shop} inactive since {self.started_at:%Y-%m-%d} ({self.stage})"


class InactivityNotice(models.Model):
    """A stage reached in an episode; unique per (shop, episode, stage), so nothing twice.

    The email for it is claimed (``email_claimed_at``) before sending and stamped after, so a
    crashed or repeated run never sends it again.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    episode = models.ForeignKey(InactivityEpisode, on_delete=models.CASCADE, related_name="notices")
    stage = models.CharField(max_length=16, choices=InactivityStage.choices)
    on_date = models.DateField()
    sweep_run = models.ForeignKey(
        SweepRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    created_at = models.DateTimeField(default=timezone.now)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveIntegerField(default=0)
    # The delisting stage: how many live products it took offline. Zero when the shop had none
    # left (it went quiet again after an earlier delisting): its notice says so (SPEC §9.2).
    products_delisted = models.PositiveIntegerField(default=0)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["on_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "episode", "stage"], name="inactivity_notice_once_per_stage"
            )
        ]
        indexes = [
            models.Index(
                fields=["id"], condition=Q(emailed_at__isnull=True), name="inactivity_unsent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} for {self.shop} on {self.on_date}"


class ShopLink(models.Model):
    """The shop's link to its TikTok account (SPEC §9.3 unlink / re-link)."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="tiktok_link")
    tiktok_linked = models.BooleanField(default=True)
    linked_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    unlinked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(shop="shop")

    def __str__(self) -> str:
        return f"{self.shop}: TikTok {'linked' if self.tiktok_linked else 'unlinked'}"


class DeletionRequest(models.Model):
    """A confirmation link for deleting a shop: valid 24 h, single use (SPEC §9.3)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-created_at", "-id"]


class RecordsRetention(models.Model):
    """A deleted shop's records kept by law (SPEC §9.3): its anonymised orders and financial
    ledger stay until ``purge_on``, when the daily purge removes them and the shop itself."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="+")
    deleted_at = models.DateTimeField()
    purge_on = models.DateField(db_index=True)

    objects = ScopedManager(shop="shop")

    def __str__(self) -> str:
        return f"Records of deleted shop {self.shop_id}, kept until {self.purge_on}"


class DataExport(models.Model):
    """A zip of the shop's records, built in the background, kept for POLICY.data_export_keep_days."""

    class Status(models.TextChoices):
        PENDING = "pending", "Queued"
        RUNNING = "running", "Preparing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    file_name = models.CharField(max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Data export {self.pk} ({self.status})"


# =============================================================================================
# Program eligibility (SPEC §3) — its own block, added by the eligibility work.
# =============================================================================================


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

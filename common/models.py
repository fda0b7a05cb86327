from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxEmail(models.Model):
    """One email, rendered when it was queued and sent by ``common.tasks`` after commit.

    Every email the platform sends goes through this table (``common.mail.email_queue``), except
    the order confirmations and inactivity notices, whose own rows (the order, the notice) are
    their outbox. ``shop_id`` is a plain column, not a foreign key: common sits below shops. No
    seller page reads these rows; the sender task and the staff console read across shops.
    """

    shop_id = models.BigIntegerField(
        null=True, blank=True, db_index=True, help_text="The shop the email is about, if any."
    )
    to = models.JSONField(help_text="Recipient addresses.")
    subject = models.CharField(max_length=998)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    message_id = models.CharField(
        max_length=255, unique=True, help_text="Fixed at queueing: a re-send is the same message."
    )
    key = models.CharField(
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text="What the email is about, once: a second queueing with this key is ignored.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "outbox email"
        indexes = [
            # The redelivery job reads only the unsent rows.
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="outbox_email_unsent"
            )
        ]

    def __str__(self) -> str:
        return self.subject

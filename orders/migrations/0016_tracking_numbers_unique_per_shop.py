"""Tracking numbers are unique per shop and carrier, no longer across shops: one shop's number
neither blocks another shop nor tells it the number is in use. The webhook's look-up by carrier
and number keeps an index of its own. The new constraint is in place before the old one goes."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0015_carrier_event_receipts"),
        ("shops", "0004_staff_console_suspension_violations_support_tickets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="package",
            index=models.Index(fields=["carrier", "tracking_number"], name="package_tracking"),
        ),
        migrations.AddConstraint(
            model_name="package",
            constraint=models.UniqueConstraint(
                fields=("shop", "carrier", "tracking_number"),
                name="package_unique_tracking_per_shop",
            ),
        ),
        migrations.RemoveConstraint(model_name="package", name="package_unique_tracking"),
    ]

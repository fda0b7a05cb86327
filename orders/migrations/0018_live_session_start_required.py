from django.db import migrations, models


class Migration(migrations.Migration):
    """Every session has a scheduled start (filled from started_at for the sessions held before
    scheduling existed, in the previous migration's transaction)."""

    dependencies = [
        ("orders", "0017_live_sessions_pins_sales"),
    ]

    operations = [
        migrations.AlterField(
            model_name="livesession",
            name="starts_at",
            field=models.DateTimeField(verbose_name="scheduled start"),
        ),
    ]

"""The product list's tab counts become a cached per-shop GROUP BY (catalog.selectors
``product_status_counts``): the counter table and the triggers that kept it go."""

import importlib

from django.db import migrations

triggers = importlib.import_module("catalog.migrations.0003_product_status_count_triggers")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_product_suspend_permission"),
    ]

    operations = [
        # Reversed, the table comes back first and the triggers refill it.
        migrations.RunPython(triggers.uninstall, triggers.install),
        migrations.RemoveConstraint(
            model_name="productstatuscount",
            name="productstatuscount_unique",
        ),
        migrations.DeleteModel(
            name="ProductStatusCount",
        ),
    ]

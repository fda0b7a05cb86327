"""Least-privilege staff groups for finance and support (SPEC §1): finance staff keep the commission table,
mark withdrawals and add ledger adjustments; support staff decide escalated returns.
Idempotent and additive: groups another app creates under the same names just gain these."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Finance": [
        "view_commissionrate",
        "add_commissionrate",
        "change_commissionrate",
        "view_withdrawal",
        "change_withdrawal",
        "view_ledgerentry",
        "add_ledgerentry",
        "view_ordersettlement",
    ],
    "Support": ["view_returnrequest", "change_returnrequest", "view_returnstatuschange"],
}


def add_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist already.
    config = apps.get_app_config("orders")
    config.models_module = getattr(config, "models_module", None) or True
    create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0006_returns_inbox_finance"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_groups, migrations.RunPython.noop)]

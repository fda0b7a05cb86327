"""The least-privilege staff groups of the staff console (SPEC §1).

Extends the groups earlier migrations created ("Verification reviewers" in shops 0003, "Finance"
and "Support" in orders 0007) and adds "Trust & safety". It lives in lifecycle, the top app with
migrations, because the groups span every app's permissions. Idempotent: get_or_create + add.

- Support: reads most things (shops, members, verification history, products, orders, returns,
  inactivity, audit log, users), answers support tickets, decides escalated returns (orders 0007),
  unlocks two-step verification; nothing of finance.
- Trust & safety: suspend / ban / lift, violation points, SPS and probation, product suspension.
- Finance: the commission table and withdrawals (orders 0007), plus the store deposit.
- Verification reviewers: the /review/ queue only — no admin permission at all.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Support": {
        "accounts": ["view_user", "view_auditevent", "view_secondfactorguard"],
        "shops": [
            "view_shop",
            "view_membership",
            "view_verificationsubmission",
            "view_verificationdecision",
            "view_supportticket",
            "change_supportticket",
            "view_ticketmessage",
        ],
        "catalog": ["view_product", "view_category"],
        "orders": ["view_order", "view_package", "view_returnrequest"],
        "lifecycle": ["view_sweeprun", "view_inactivityepisode", "view_inactivitynotice"],
    },
    "Trust & safety": {
        "accounts": ["view_auditevent"],
        "shops": [
            "view_shop",
            "view_membership",
            "suspend_shop",
            "ban_shop",
            "adjust_violations",
            "set_standing",
        ],
        "catalog": ["view_product", "suspend_product"],
        "lifecycle": ["view_inactivityepisode", "view_sweeprun"],
    },
    "Finance": {
        "shops": ["view_shop", "manage_deposit"],
    },
    "Verification reviewers": {},
}
FINANCE_MODELS = ["commissionrate", "withdrawal", "ledgerentry", "ordersettlement"]


def add_groups(apps, schema_editor):
    for label in ["accounts", "shops", "catalog", "orders", "lifecycle"]:
        config = apps.get_app_config(label)
        config.models_module = getattr(config, "models_module", None) or True
        create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in by_app.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
    # Least privilege: support never touches money, reviewers have nothing in the admin.
    support = Group.objects.get(name="Support")
    support.permissions.remove(
        *Permission.objects.filter(
            content_type__app_label="orders", content_type__model__in=FINANCE_MODELS
        )
    )
    Group.objects.get(name="Verification reviewers").permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("lifecycle", "0002_inactivity_sweep_and_leaving"),
        ("accounts", "0002_second_factor_devices_and_session_generation"),
        ("shops", "0004_staff_console_suspension_violations_support_tickets"),
        ("catalog", "0005_product_suspend_permission"),
        ("orders", "0007_finance_and_support_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_groups, migrations.RunPython.noop)]

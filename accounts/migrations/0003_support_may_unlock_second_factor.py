"""Support staff unlock two-step verification after checking a person's identity: the unlock
action now declares the right it needs (change a second-factor guard), so the Support group
gains that right. Idempotent: get_or_create + add."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_unlock(apps, schema_editor):
    config = apps.get_app_config("accounts")
    config.models_module = getattr(config, "models_module", None) or True
    create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    support, _ = Group.objects.get_or_create(name="Support")
    support.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts", codename="change_secondfactorguard"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_second_factor_devices_and_session_generation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_unlock, migrations.RunPython.noop)]

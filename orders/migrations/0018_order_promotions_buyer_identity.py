"""Per-buyer coupon limits count mailboxes, not spellings: the buyer email kept on each order
promotion becomes its buyer identity (orders.marketing.models.buyer_identity: lower-cased, no
+tag, Gmail without dots). Only rows whose address changes are rewritten."""

from django.db import migrations


def to_identity(apps, schema_editor):
    from orders.marketing.models import buyer_identity

    OrderPromotion = apps.get_model("orders", "OrderPromotion")
    rows = OrderPromotion.objects.exclude(buyer_email="").only("pk", "buyer_email")
    changed = []
    for row in rows.iterator(chunk_size=2000):
        identity = buyer_identity(row.buyer_email)
        if identity != row.buyer_email:
            row.buyer_email = identity
            changed.append(row)
    OrderPromotion.objects.bulk_update(changed, ["buyer_email"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("orders", "0017_order_buyer_link_version")]

    operations = [migrations.RunPython(to_identity, migrations.RunPython.noop)]

"""Per-shop, per-status product counters kept by the database itself.

The product list's status tabs read catalog_productstatuscount (one indexed row per status)
instead of counting a shop's products on every request. Triggers keep the counters right for
every writer in the same transaction — the transition service, set-based UPDATEs (the lifecycle
sweep's delist/relist), bulk_create (seeds, factories) and deletes.

PostgreSQL: statement-level triggers with transition tables, so a 100,000-row UPDATE costs one
GROUP BY, not 100,000 upserts. SQLite (development, tests): row-level triggers.
Decrements only UPDATE existing rows, so a cascade that removes the counters first never
recreates them.
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION catalog_product_status_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE catalog_productstatuscount c SET count = c.count - d.n
        FROM (SELECT shop_id, status, count(*) AS n FROM old_rows
              GROUP BY shop_id, status ORDER BY shop_id, status) d
        WHERE c.shop_id = d.shop_id AND c.status = d.status;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO catalog_productstatuscount (shop_id, status, count)
        SELECT shop_id, status, count(*) FROM new_rows
        GROUP BY shop_id, status ORDER BY shop_id, status
        ON CONFLICT (shop_id, status)
        DO UPDATE SET count = catalog_productstatuscount.count + EXCLUDED.count;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

PG_TRIGGERS = [
    "CREATE TRIGGER catalog_product_count_ins AFTER INSERT ON catalog_product "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION catalog_product_status_count();",
    "CREATE TRIGGER catalog_product_count_upd AFTER UPDATE ON catalog_product "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION catalog_product_status_count();",
    "CREATE TRIGGER catalog_product_count_del AFTER DELETE ON catalog_product "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION catalog_product_status_count();",
]

PG_DROP = [
    "DROP TRIGGER IF EXISTS catalog_product_count_ins ON catalog_product;",
    "DROP TRIGGER IF EXISTS catalog_product_count_upd ON catalog_product;",
    "DROP TRIGGER IF EXISTS catalog_product_count_del ON catalog_product;",
    "DROP FUNCTION IF EXISTS catalog_product_status_count();",
]

SQLITE_TRIGGERS = [
    """CREATE TRIGGER catalog_product_count_ins AFTER INSERT ON catalog_product BEGIN
        INSERT INTO catalog_productstatuscount (shop_id, status, count)
        VALUES (NEW.shop_id, NEW.status, 1)
        ON CONFLICT (shop_id, status) DO UPDATE SET count = count + 1;
    END;""",
    """CREATE TRIGGER catalog_product_count_upd AFTER UPDATE OF status, shop_id ON catalog_product
    WHEN OLD.status <> NEW.status OR OLD.shop_id <> NEW.shop_id BEGIN
        UPDATE catalog_productstatuscount SET count = count - 1
        WHERE shop_id = OLD.shop_id AND status = OLD.status;
        INSERT INTO catalog_productstatuscount (shop_id, status, count)
        VALUES (NEW.shop_id, NEW.status, 1)
        ON CONFLICT (shop_id, status) DO UPDATE SET count = count + 1;
    END;""",
    """CREATE TRIGGER catalog_product_count_del AFTER DELETE ON catalog_product BEGIN
        UPDATE catalog_productstatuscount SET count = count - 1
        WHERE shop_id = OLD.shop_id AND status = OLD.status;
    END;""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS catalog_product_count_ins;",
    "DROP TRIGGER IF EXISTS catalog_product_count_upd;",
    "DROP TRIGGER IF EXISTS catalog_product_count_del;",
]

BACKFILL = """
INSERT INTO catalog_productstatuscount (shop_id, status, count)
SELECT shop_id, status, COUNT(*) FROM catalog_product GROUP BY shop_id, status
"""


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = (
        [PG_FUNCTION, *PG_TRIGGERS] if vendor == "postgresql" else SQLITE_TRIGGERS
    )
    schema_editor.execute("DELETE FROM catalog_productstatuscount")
    schema_editor.execute(BACKFILL)
    for sql in statements:
        schema_editor.execute(sql)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in PG_DROP if vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_product_fields_images_history_counts_alerts_imports"),
    ]

    operations = [migrations.RunPython(install, uninstall)]

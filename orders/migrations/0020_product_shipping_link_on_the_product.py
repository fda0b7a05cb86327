# A product's shipping template has one home: the product's own column
# (catalog.Product.shipping_template_id), which the product form, the API and checkout all use.
# The links kept in orders.ProductShipping move there, and the table goes.

from django.db import migrations


def links_to_products(apps, schema_editor):
    ProductShipping = apps.get_model("orders", "ProductShipping")
    Product = apps.get_model("catalog", "Product")
    for product_id, template_id in ProductShipping.objects.values_list("product_id", "template_id"):
        Product.objects.filter(pk=product_id).update(shipping_template_id=template_id)


def links_back(apps, schema_editor):
    ProductShipping = apps.get_model("orders", "ProductShipping")
    ShippingTemplate = apps.get_model("orders", "ShippingTemplate")
    Product = apps.get_model("catalog", "Product")
    templates = set(ShippingTemplate.objects.values_list("pk", flat=True))
    rows = Product.objects.filter(shipping_template_id__isnull=False).values_list(
        "pk", "shop_id", "shipping_template_id"
    )
    ProductShipping.objects.bulk_create(
        ProductShipping(product_id=pk, shop_id=shop_id, template_id=template_id)
        for pk, shop_id, template_id in rows
        if template_id in templates
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_status_counts_are_a_shop_figure"),
        ("orders", "0019_live_sessions_after_buyer_links"),
    ]

    operations = [
        migrations.RunPython(links_to_products, links_back),
        migrations.DeleteModel(name="ProductShipping"),
    ]

from django.urls import path

from catalog.views import bulk, products, shipping, skus

app_name = "catalog"

urlpatterns = [
    path("", products.product_list, name="product_list"),
    path("new/", products.product_create_view, name="product_create"),
    path("bulk/", bulk.product_bulk, name="product_bulk"),
    path("export.csv", bulk.product_export, name="product_export"),
    path("alerts/", skus.product_alerts, name="product_alerts"),
    path("import/", bulk.product_import, name="product_import"),
    path("import/template.csv", bulk.product_import_template, name="product_import_template"),
    path("import/<int:import_job_id>/", bulk.product_import_job, name="product_import_job"),
    path(
        "import/<int:import_job_id>/errors.csv",
        bulk.product_import_errors,
        name="product_import_errors",
    ),
    path("skus/<int:sku_id>/", skus.product_sku_inline, name="product_sku_inline"),
    path("<int:product_id>/", products.product_detail, name="product_detail"),
    path("<int:product_id>/edit/", products.product_edit, name="product_edit"),
    path("<int:product_id>/action/", products.product_action, name="product_action"),
    path("<int:product_id>/recover/", products.product_recover_view, name="product_recover"),
    path("<int:product_id>/variants/", skus.product_variants, name="product_variants"),
    path(
        "<int:product_id>/variants/<int:sku_id>/remove/",
        skus.product_variant_remove,
        name="product_variant_remove",
    ),
    path("variant-row/", skus.product_variant_row, name="product_variant_row"),
    path(
        "shipping-templates/",
        shipping.product_shipping_templates,
        name="product_shipping_templates",
    ),
    path("marketing/", products.marketing, name="marketing"),
]

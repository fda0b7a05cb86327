from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.product_list, name="product_list"),
    path("new/", views.product_create_view, name="product_create"),
    path("bulk/", views.product_bulk, name="product_bulk"),
    path("export.csv", views.product_export, name="product_export"),
    path("alerts/", views.product_alerts, name="product_alerts"),
    path("import/", views.product_import, name="product_import"),
    path("import/template.csv", views.product_import_template, name="product_import_template"),
    path("import/<int:import_job_id>/", views.product_import_job, name="product_import_job"),
    path(
        "import/<int:import_job_id>/errors.csv",
        views.product_import_errors,
        name="product_import_errors",
    ),
    path("skus/<int:sku_id>/", views.product_sku_inline, name="product_sku_inline"),
    path("<int:product_id>/", views.product_detail, name="product_detail"),
    path("<int:product_id>/edit/", views.product_edit, name="product_edit"),
    path("<int:product_id>/action/", views.product_action, name="product_action"),
    path("<int:product_id>/recover/", views.product_recover_view, name="product_recover"),
    path("<int:product_id>/variants/", views.product_variants, name="product_variants"),
    path("marketing/", views.marketing, name="marketing"),
]

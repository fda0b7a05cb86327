from django.urls import path

from orders.marketing import exports, views

app_name = "marketing"

urlpatterns = [
    path("", views.marketing_overview, name="overview"),
    path("coupons.csv", exports.coupon_export, name="coupon_export"),
    path("coupons/new/", views.coupon_create, name="coupon_create"),
    path("coupons/<int:coupon_id>/edit/", views.coupon_edit, name="coupon_edit"),
    path("coupons/<int:coupon_id>/end/", views.coupon_end_view, name="coupon_end"),
    path("discounts.csv", exports.discount_export, name="discount_export"),
    path("discounts/new/", views.discount_create, name="discount_create"),
    path("discounts/<int:discount_id>/edit/", views.discount_edit, name="discount_edit"),
    path("discounts/<int:discount_id>/end/", views.discount_end_view, name="discount_end"),
    path("campaigns.csv", exports.campaign_export, name="campaign_export"),
    path("campaigns/register/", views.campaign_register, name="campaign_register"),
    path(
        "campaigns/registrations/<int:campaign_product_id>/withdraw/",
        views.campaign_withdraw,
        name="campaign_withdraw",
    ),
]

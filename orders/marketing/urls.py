from django.urls import path

from orders.marketing import exports, live_views, views

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
    path("live/", live_views.live_list, name="live_list"),
    path("live/new/", live_views.live_create, name="live_create"),
    path("live/<int:livesession_id>/", live_views.live_detail, name="live_detail"),
    path("live/<int:livesession_id>/pins/", live_views.live_pin_add, name="live_pin_add"),
    path(
        "live/<int:livesession_id>/pins/<int:livepin_id>/remove/",
        live_views.live_pin_remove_view,
        name="live_pin_remove",
    ),
    path(
        "live/<int:livesession_id>/start/", live_views.live_move, {"to": "live"}, name="live_start"
    ),
    path(
        "live/<int:livesession_id>/pause/",
        live_views.live_move,
        {"to": "paused"},
        name="live_pause",
    ),
    path("live/<int:livesession_id>/end/", live_views.live_move, {"to": "ended"}, name="live_end"),
    path("live/<int:livesession_id>/summary.csv", live_views.live_export, name="live_export"),
]

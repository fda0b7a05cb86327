from django.urls import path

from shops import support_views, views

app_name = "shops"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("bank-account/", views.bank_account, name="bank_account"),
    # Settings → Security log; support ticket threads opened from Help.
    path("security-log/", support_views.security_log, name="security_log"),
    path(
        "support/<int:support_ticket_id>/",
        support_views.ticket_detail,
        name="ticket_detail",
    ),
    path(
        "support/attachments/<int:ticket_message_id>/",
        support_views.ticket_attachment,
        name="ticket_attachment",
    ),
]

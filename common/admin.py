from django.contrib import admin

from common.models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """Read-only: staff see what was sent and what keeps failing (``last_error``); the sender
    task and the redelivery job do the rest."""

    list_display = ["subject", "recipients", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject", "message_id", "key"]
    show_full_result_count = False
    exclude = ["text_body", "html_body"]  # may hold a sign-in code or a one-time link

    @admin.display(description="to")
    def recipients(self, email: OutboxEmail) -> str:
        return ", ".join(email.to)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

"""Running a staff-console (Django admin) action on selected rows, as the changelist's form does."""

from django.urls import reverse


def post_action(client, url_name: str, action: str, ids, **data):
    """POST ``action`` for the rows ``ids`` to the changelist named ``url_name``; ``data`` is the
    action's own form (a reason, ``apply``…)."""
    return client.post(
        reverse(url_name),
        {"action": action, "_selected_action": [str(i) for i in ids], **data},
    )

"""The audit log primitive: ``record(...)`` writes one immutable AuditEvent.

Every sensitive action (staff decisions, security changes, lifecycle actions) calls this.
"""

from typing import Any

from accounts.models import AuditEvent

SYSTEM = AuditEvent.SYSTEM


def record(**event: Any) -> AuditEvent:
    """Write one audit row; the keywords are ``AuditEvent.entry``'s. ``actor=None`` means the
    system did it (a sweep, a beat task)."""
    row = AuditEvent.entry(**event)
    row.save()
    return row


def client_ip(request) -> str | None:
    """The client address as the shared adapter sees it (trusted-proxy aware)."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # noqa: BLE001 — an unknown address must never block the audit write
        return request.META.get("REMOTE_ADDR")

"""The audit log primitive: ``record(...)`` writes one immutable AuditEvent.

Every sensitive action (staff decisions, security changes, lifecycle actions) calls this.
"""

from typing import Any

from django.db import models

from accounts.models import AuditEvent, User

SYSTEM = "system"


def record(**event: Any) -> AuditEvent:
    """Write one audit row; the keywords are ``entry``'s. ``actor=None`` means the system did
    it (a sweep, a beat task)."""
    row = entry(**event)
    row.save()
    return row


def entry(
    *,
    actor: User | None,
    action: str,
    shop: Any = None,
    target: models.Model | None = None,
    changes: dict[str, tuple[Any, Any] | list[Any]] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """The unsaved row ``record`` writes: the history row of a state machine whose history is
    the audit trail (common.transitions saves it with the status change)."""
    shop_id = getattr(shop, "pk", shop)
    return AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.email if actor is not None and actor.pk else SYSTEM,
        action=action,
        shop_id=shop_id,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes={k: [_jsonable(v[0]), _jsonable(v[1])] for k, v in (changes or {}).items()},
        ip=ip or None,
    )


def client_ip(request) -> str | None:
    """The client address as the shared adapter sees it (trusted-proxy aware)."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # noqa: BLE001 — an unknown address must never block the audit write
        return request.META.get("REMOTE_ADDR")


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)

import pytest
from django.core.exceptions import ValidationError

from accounts import audit
from accounts.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_record_keeps_actor_shop_target_changes_and_ip(shop):
    user = UserFactory()
    event = audit.record(
        actor=user,
        action="shop.suspend",
        shop=shop,
        target=shop,
        changes={"status": ("active", "banned")},
        ip="203.0.113.9",
    )
    event.refresh_from_db()
    assert event.actor_label == user.email
    assert event.shop_id == shop.pk
    assert (event.target_type, event.target_id) == ("shops.Shop", str(shop.pk))
    assert event.changes == {"status": ["active", "banned"]}
    assert event.ip == "203.0.113.9"


def test_system_actions_are_recorded_as_system():
    event = audit.record(actor=None, action="sweep.delist")
    assert event.actor is None and event.actor_label == "system"


def test_audit_rows_cannot_be_edited_or_deleted():
    event = audit.record(actor=None, action="x")
    event.action = "y"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "x"

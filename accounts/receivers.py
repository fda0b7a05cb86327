"""Audit trail for security changes made through allauth's own views."""

from allauth.account.signals import password_changed, password_reset, password_set
from django.db.models.signals import pre_save
from django.dispatch import receiver

from accounts import audit
from accounts.models import User


@receiver(password_changed)
@receiver(password_set)
def audit_password_changed(sender, request, user, **kwargs):
    audit.record(actor=user, action="account.password_changed", target=user, ip=_ip(request))


@receiver(password_reset)
def audit_password_reset(sender, request, user, **kwargs):
    audit.record(actor=user, action="account.password_reset", target=user, ip=_ip(request))


def _ip(request):
    return audit.client_ip(request) if request is not None else None


@receiver(pre_save, sender=User, dispatch_uid="accounts.end_sessions_on_deactivation")
def end_sessions_when_deactivated(sender, instance: User, **kwargs):
    """A user switched off (by staff, or by a workflow) is signed out everywhere at once."""
    if instance.pk is None or instance.is_active:
        return
    was_active = User.objects.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        instance.session_generation += 1

"""Audit trail for security changes made through allauth's own views."""

from allauth.account.signals import password_changed, password_reset, password_set
from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.models import Device

from accounts import audit, identity
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


@receiver(post_save, sender=User, dispatch_uid="accounts.identity_on_user_save")
def identity_changed_with_user(sender, instance: User, **kwargs):
    """Cached identities hold the user row: any save of it reloads them on the next request."""
    identity.identity_changed([instance.pk])


def identity_changed_with_device(sender, instance, **kwargs):
    """A two-step device added, confirmed, used or removed: the verified state is reloaded."""
    identity.identity_changed([instance.user_id])


def connect_device_receivers() -> None:
    for model in apps.get_models():
        if issubclass(model, Device):
            uid = f"accounts.identity_on_device:{model._meta.label}"
            post_save.connect(identity_changed_with_device, sender=model, dispatch_uid=uid)
            post_delete.connect(identity_changed_with_device, sender=model, dispatch_uid=uid)

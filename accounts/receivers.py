"""Audit trail for security changes made through allauth's own views."""

from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver

from accounts import audit


@receiver(password_changed)
@receiver(password_set)
def audit_password_changed(sender, request, user, **kwargs):
    audit.record(actor=user, action="account.password_changed", target=user, ip=_ip(request))


@receiver(password_reset)
def audit_password_reset(sender, request, user, **kwargs):
    audit.record(actor=user, action="account.password_reset", target=user, ip=_ip(request))


def _ip(request):
    return audit.client_ip(request) if request is not None else None

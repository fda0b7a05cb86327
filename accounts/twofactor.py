"""Two-step verification: devices, enrolment, the sign-in stage and the seller-page gate.

Sign-in (allauth): password → ``SecondFactorStage`` → the user is logged in only after a
second factor, through allauth's login-stage machinery, so between the two steps the request
is still anonymous. A signed-in session that has not proved a second factor (a session that
was open when the user enrolled elsewhere, for instance) is stopped by
``second_factor_gate``, registered in ``shops.tenancy.GATES``: it never reaches a seller page.
"""

import base64
import io
import secrets
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from allauth.account.stages import LoginStage
from allauth.core.internal.httpkit import headed_redirect_response
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import login as otp_login

from accounts import audit, crypto
from accounts.models import (
    BACKUP_CODE_PURPOSE,
    AuthenticatorDevice,
    BackupCode,
    BackupCodeDevice,
    EmailCodeDevice,
    SecondFactorGuard,
    User,
)
from common.policy import POLICY

# Unambiguous alphabet for backup codes (no 0/O, 1/I/L): 10 chars ≈ 50 bits each.
BACKUP_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BACKUP_CODE_LENGTH = 10
SESSION_NEW_CODES = "accounts_new_backup_codes"
SESSION_PENDING_KEY = "accounts_pending_authenticator_key"


# --- reading ----------------------------------------------------------------------------------
def user_has_second_factor(user) -> bool:
    """True once the user has enrolled an authenticator app (confirmed)."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return False
    return AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists()


def is_session_verified(request: HttpRequest) -> bool:
    user = request.user
    return bool(getattr(user, "is_verified", None) and user.is_verified())


# --- enrolment --------------------------------------------------------------------------------
def authenticator_begin(*, request: HttpRequest) -> AuthenticatorDevice:
    """Start enrolment with a fresh key, kept encrypted in the session until a first code
    confirms it, so showing the QR code writes no row."""
    key = AuthenticatorDevice.new_key()
    request.session[SESSION_PENDING_KEY] = crypto.encrypt(key.hex())
    return pending_authenticator(request)


def pending_authenticator(request: HttpRequest) -> AuthenticatorDevice | None:
    """The unsaved device being enrolled in this session, if any."""
    encrypted = request.session.get(SESSION_PENDING_KEY)
    if not encrypted:
        return None
    return AuthenticatorDevice(
        user=request.user, name="Authenticator app", confirmed=False, encrypted_key=encrypted
    )


@transaction.atomic
def authenticator_confirm(
    *, request: HttpRequest, user: User, device: AuthenticatorDevice, code: str
) -> list[str] | None:
    """Confirm enrolment with a first code. Returns the new backup codes, or None if wrong.

    On success the other devices are (re)created: 10 backup codes and the email fallback, and
    the current session counts as verified with the new device.
    """
    if device.pk is not None or not device.consume(code):
        return None
    AuthenticatorDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.save()
    request.session.pop(SESSION_PENDING_KEY, None)
    EmailCodeDevice.objects.get_or_create(user=user, defaults={"name": "Email code"})
    codes = backup_codes_regenerate(user=user)
    otp_login(request, device)
    audit.record(actor=user, action="2fa.enabled", target=user, ip=audit.client_ip(request))
    return codes


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    """Replace the user's backup codes with fresh ones; returns them in plaintext, once."""
    device, _ = BackupCodeDevice.objects.get_or_create(user=user, defaults={"name": "Backup codes"})
    device.codes.all().delete()
    count = POLICY.backup_code_count
    codes: set[str] = set()
    while len(codes) < count:
        codes.add("".join(secrets.choice(BACKUP_ALPHABET) for _ in range(BACKUP_CODE_LENGTH)))
    BackupCode.objects.bulk_create(
        BackupCode(device=device, code_hash=crypto.keyed_hash(c, purpose=BACKUP_CODE_PURPOSE))
        for c in codes
    )
    return [format_backup_code(c) for c in sorted(codes)]


@transaction.atomic
def second_factor_disable(*, request: HttpRequest, user: User) -> None:
    for model in (AuthenticatorDevice, BackupCodeDevice, EmailCodeDevice):
        model.objects.filter(user=user).delete()
    SecondFactorGuard.objects.filter(user=user).delete()
    audit.record(actor=user, action="2fa.disabled", target=user, ip=audit.client_ip(request))


@transaction.atomic
def second_factor_unlock(*, actor: User, user: User) -> None:
    """Staff clear a hard lock after checking the person's identity."""
    SecondFactorGuard.objects.filter(user=user).update(consecutive_failures=0, locked_at=None)
    audit.record(actor=actor, action="2fa.unlocked", target=user)


def format_backup_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def remember_new_backup_codes(request: HttpRequest, codes: list[str]) -> None:
    """Keep freshly made codes for the show-once page and its download, encrypted."""
    request.session[SESSION_NEW_CODES] = crypto.encrypt("\n".join(codes))


def peek_new_backup_codes(request: HttpRequest) -> list[str]:
    token = request.session.get(SESSION_NEW_CODES)
    if not token:
        return []
    try:
        return crypto.decrypt(token).split("\n")
    except crypto.DecryptionError:
        return []


def forget_new_backup_codes(request: HttpRequest) -> None:
    request.session.pop(SESSION_NEW_CODES, None)


def provisioning_uri(device: AuthenticatorDevice) -> str:
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{device.user.email}")
    params = urlencode(
        {
            "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{label}?{params}"


def qr_code_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, drawn on the server (CSP allows img data:)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def manual_key(device: AuthenticatorDevice) -> str:
    """The base32 key in groups of four, for typing into an app by hand."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


# --- the sign-in stage and the gate -------------------------------------------------------------
class SecondFactorStage(LoginStage):
    """After the password (or TikTok), ask for a second factor if the user has enrolled one."""

    key = "accounts_second_factor"
    urlname = "account_second_factor"

    def handle(self):
        if self.login.user is not None and user_has_second_factor(self.login.user):
            return headed_redirect_response(self.urlname), True
        return None, True


def second_factor_gate(request: HttpRequest) -> HttpResponse | None:
    """shops.tenancy gate: a signed-in session without its second factor sees no seller page."""
    # A verified session proves the device (shops.identity loaded it): no second query for it.
    if not is_session_verified(request) and user_has_second_factor(request.user):
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('account_reauth')}?{query}")
    return None

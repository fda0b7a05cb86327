import secrets
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.models import Device, ThrottlingMixin, TimestampMixin, VerifyNotAllowed
from django_otp.oath import TOTP

from accounts import crypto
from accounts.identity import IdentityQuerySet
from common.mail import email_queue
from common.policy import POLICY


class UserManager(BaseUserManager.from_queryset(IdentityQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: seller, reviewer or platform staff. Email is the login."""

    class AccountType(models.TextChoices):
        PERSONAL = "personal", "Personal"
        CREATOR = "creator", "Creator"
        BUSINESS = "business", "Business"

    email = models.EmailField("email address", unique=True)
    phone = models.CharField(
        max_length=20, unique=True, null=True, blank=True, help_text="E.164, e.g. +14155550100"
    )
    full_name = models.CharField(max_length=150, blank=True)
    account_type = models.CharField(
        max_length=16, choices=AccountType.choices, default=AccountType.PERSONAL
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May sign in to the staff console.")
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped by accounts.sessions.end_all_sessions: every session signed with the old value
    # stops authenticating on its next request, whatever the session backend.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email).lower()

    def get_session_auth_hash(self) -> str:
        # Django checks this hash on every request: it changes with the password (as usual)
        # and with session_generation, so ending all sessions needs no session-table scan.
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()


class AuditEvent(models.Model):
    """An append-only record of a sensitive action. Rows are never updated or deleted.

    ``shop_id`` is a plain column, not a foreign key: accounts sits below shops, and the audit
    trail must outlive a deleted shop.
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(
        max_length=254, help_text='Email of the actor at the time, or "system".'
    )
    action = models.CharField(max_length=64, db_index=True)
    shop_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [before, after]}")
    ip = models.GenericIPAddressField(null=True, blank=True)

    SYSTEM = "system"  # the actor_label of what no person did (a sweep, a beat task)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["shop_id", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("Audit records are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit records are immutable.")

    @classmethod
    def entry(
        cls,
        *,
        actor: User | None,
        action: str,
        shop: Any = None,
        target: models.Model | None = None,
        changes: dict[str, tuple[Any, Any] | list[Any]] | None = None,
        ip: str | None = None,
    ) -> "AuditEvent":
        """The unsaved row ``accounts.audit.record`` writes; also the history row of a state
        machine whose history is the audit trail (common.transitions saves it with the status
        change)."""
        shop_id = getattr(shop, "pk", shop)
        return cls(
            actor=actor if actor is not None and actor.pk else None,
            actor_label=actor.email if actor is not None and actor.pk else cls.SYSTEM,
            action=action,
            shop_id=shop_id,
            target_type=target._meta.label if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_repr=str(target)[:200] if target is not None else "",
            changes={k: [_jsonable(v[0]), _jsonable(v[1])] for k, v in (changes or {}).items()},
            ip=ip or None,
        )


# --- Second factors (django-otp devices) --------------------------------------------------------
# django-otp is the one store of second factors. Its bundled plugins keep TOTP keys, static
# tokens and emailed tokens in plaintext and verify without a row lock, so the devices below
# are our own: TOTP keys are encrypted, codes are stored as keyed hashes, and every
# verification runs inside a transaction holding a row lock on the device (a code works once,
# also under concurrency) and counts consecutive failures per user towards a hard lock.


class SecondFactorGuard(models.Model):
    """Consecutive second-factor failures of one user, across all their devices."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="second_factor_guard"
    )
    consecutive_failures = models.PositiveIntegerField(default=0)
    locked_at = models.DateTimeField(
        null=True, blank=True, help_text="Set after too many failures; staff clear it."
    )

    def __str__(self) -> str:
        return f"{self.user} ({'locked' if self.locked_at else self.consecutive_failures})"


class SecondFactorDevice(TimestampMixin, ThrottlingMixin, Device):
    """Base of our devices: locked, throttled, once-only verification."""

    class Meta(Device.Meta):
        abstract = True

    def get_throttle_factor(self) -> int:
        return POLICY.second_factor_throttle_factor

    def verify_is_allowed(self):
        guard = SecondFactorGuard.objects.filter(user_id=self.user_id).first()
        if guard is not None and guard.locked_at is not None:
            return False, {"reason": LOCKED, "error_message": LOCKED_MESSAGE}
        return super().verify_is_allowed()

    def verify_token(self, token) -> bool:
        """Check ``token`` once: lock the device row, consume the code, count failures.

        django-otp's own devices read, compare and save without a lock, so N concurrent
        submissions of one code can all pass; here the second submitter waits for the first
        one's commit and then finds the code used.
        """
        token = normalise_verification_code(str(token or ""))
        locked_now = False
        with transaction.atomic():
            guard, _ = SecondFactorGuard.objects.select_for_update().get_or_create(
                user_id=self.user_id
            )
            device = type(self).objects.select_for_update().get(pk=self.pk)
            allowed, _ = device.verify_is_allowed()
            if not allowed or not token:
                verified = False
            else:
                verified = device.consume(token)
                if verified:
                    device.throttle_reset(commit=False)
                    device.set_last_used_timestamp(commit=False)
                    device.save()
                    guard.consecutive_failures = 0
                else:
                    device.throttle_increment(commit=True)
                    guard.consecutive_failures += 1
                    limit = POLICY.second_factor_lock_after_failures
                    if guard.consecutive_failures >= limit and guard.locked_at is None:
                        guard.locked_at = timezone.now()
                        locked_now = True
                        AuditEvent.entry(actor=None, action="2fa.locked", target=guard.user).save()
                guard.save()
            if locked_now:
                _email_locked(guard.user)
        self.refresh_from_db()
        return verified

    def consume(self, token: str) -> bool:  # pragma: no cover — every device implements it
        """Return True and use up the code if it matches (called on the locked row)."""
        raise NotImplementedError


LOCKED = "LOCKED"
LOCKED_MESSAGE = (
    "Two-step verification is locked after too many wrong codes. We emailed you what to do."
)
# Re-exported so views can tell "wait a moment" from "locked".
THROTTLED = VerifyNotAllowed.N_FAILED_ATTEMPTS


class AuthenticatorDevice(SecondFactorDevice):
    """An authenticator app (TOTP, RFC 6238). The shared key is encrypted at rest."""

    encrypted_key = models.TextField(editable=False)
    step = models.PositiveSmallIntegerField(default=30)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(
        default=1, help_text="Time steps accepted either side of now."
    )
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(
        default=-1, help_text="Time step of the last accepted code; later codes only."
    )

    class Meta(SecondFactorDevice.Meta):
        verbose_name = "authenticator app"

    @classmethod
    def new_key(cls) -> bytes:
        return secrets.token_bytes(20)

    def set_key(self, key: bytes) -> None:
        self.encrypted_key = crypto.encrypt(key.hex())

    @property
    def bin_key(self) -> bytes:
        return bytes.fromhex(crypto.decrypt(self.encrypted_key))

    def consume(self, token: str) -> bool:
        if not token.isdigit() or len(token) != self.digits:
            return False
        totp = TOTP(self.bin_key, self.step, 0, self.digits, self.drift)
        totp.time = time.time()
        if totp.verify(int(token), self.tolerance, self.last_t + 1):
            self.last_t = totp.t()
            self.drift = totp.drift
            return True
        return False


class BackupCodeDevice(SecondFactorDevice):
    """One-time backup codes; only their keyed hashes are stored."""

    class Meta(SecondFactorDevice.Meta):
        verbose_name = "backup codes"
        verbose_name_plural = "backup codes"

    def consume(self, token: str) -> bool:
        digest = crypto.keyed_hash(token, purpose=BACKUP_CODE_PURPOSE)
        deleted, _ = self.codes.filter(code_hash=digest).delete()
        return deleted > 0

    def remaining(self) -> int:
        return self.codes.count()


BACKUP_CODE_PURPOSE = "backup-code"
EMAIL_CODE_PURPOSE = "email-code"


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "code_hash"], name="backup_code_once")
        ]


class EmailCodeDevice(SecondFactorDevice):
    """A code sent to the account's email address: the fallback when the phone is away."""

    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    valid_until = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta(SecondFactorDevice.Meta):
        verbose_name = "email code"

    def generate_is_allowed(self):
        cooldown = POLICY.email_code_resend_seconds
        if self.last_sent_at and timezone.now() < self.last_sent_at + timedelta(seconds=cooldown):
            return False, {
                "error_message": "A code was just sent. Wait a minute before asking again."
            }
        return True, None

    def generate_challenge(self) -> str:
        """Email a fresh code (replacing any earlier one); the caller checks generate_is_allowed.

        The code is queued in the outbox and sent at once by its task after this commits."""
        code = f"{secrets.randbelow(10**6):06d}"
        validity = POLICY.email_code_validity
        now = timezone.now()
        type(self).objects.filter(pk=self.pk).update(
            code_hash=crypto.keyed_hash(code, purpose=EMAIL_CODE_PURPOSE),
            valid_until=now + validity,
            last_sent_at=now,
        )
        self.refresh_from_db()
        email_queue(
            to=self.user.email,
            subject="Your Seller Center sign-in code",
            body=f"Your sign-in code is {code}. It expires in "
            f"{int(validity.total_seconds() // 60)} minutes.\n\nIf you did not try to sign in, "
            "change your password now: someone knows it.",
        )
        return "We emailed you a code."

    def consume(self, token: str) -> bool:
        if not self.code_hash or self.valid_until is None or timezone.now() >= self.valid_until:
            return False
        if not secrets.compare_digest(
            self.code_hash, crypto.keyed_hash(token, purpose=EMAIL_CODE_PURPOSE)
        ):
            return False
        self.code_hash = ""
        self.valid_until = None
        return True


def normalise_verification_code(token: str) -> str:
    """Codes are typed by people: ignore spaces and dashes, compare case-insensitively."""
    return "".join(ch for ch in token if ch.isalnum()).upper()


def _email_locked(user: User) -> None:
    email_queue(
        to=user.email,
        subject="Two-step verification locked on your Seller Center account",
        body="Someone entered your password correctly and then typed a wrong verification code "
        f"{POLICY.second_factor_lock_after_failures} times in a row, so "
        "two-step sign-in to your account is locked.\n\nIf this was not you, your password "
        "is known to someone else: reset it now. Then contact Seller Center support to unlock "
        "two-step verification.",
    )


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)

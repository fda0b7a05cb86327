"""Field-level secrets: encryption at rest and keyed hashes, keyed from the environment.

``encrypt``/``decrypt`` protect values we must read back (TOTP secrets, bank account numbers):
Fernet (AES-128-CBC + HMAC-SHA256) with a key derived by HKDF from
``settings.FIELD_ENCRYPTION_KEY``. ``keyed_hash`` protects values we only ever compare
(backup codes, emailed codes): an HMAC-SHA256, so a database dump without the key reveals
nothing and equal inputs can still be looked up by their hash.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

__all__ = ["DecryptionError", "decrypt", "encrypt", "keyed_hash"]


class DecryptionError(ValueError):
    """The value was not encrypted with the current FIELD_ENCRYPTION_KEY (or was tampered with)."""


def encrypt(value: str) -> str:
    """Encrypt ``value``; the result is URL-safe ASCII, about 1.4× the input plus 100 chars."""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise DecryptionError(
            "Cannot decrypt: wrong FIELD_ENCRYPTION_KEY or damaged value."
        ) from exc


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 hex of ``value``; ``purpose`` separates domains (one key per use)."""
    key = _derive(settings.FIELD_ENCRYPTION_KEY, f"keyed-hash:{purpose}".encode())
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=4)
def _fernet(master: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(master, b"field-encryption:v1")))


@lru_cache(maxsize=16)
def _derive(master: str, info: bytes) -> bytes:
    if not master:
        raise ValueError("FIELD_ENCRYPTION_KEY is not set.")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"sellercenter", info=info).derive(
        master.encode()
    )

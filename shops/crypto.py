"""Field encryption for bank account numbers.

A stand-in until accounts.crypto (built with 2FA) lands: the lead points callers there at merge.
The Fernet key is derived from settings.FIELD_ENCRYPTION_KEY, never stored with the data.
"""

import base64
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def _fernet() -> Fernet:
    digest = hashlib.sha256(("field-encryption:" + settings.FIELD_ENCRYPTION_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))

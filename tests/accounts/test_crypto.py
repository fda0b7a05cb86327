import pytest
from django.test import override_settings

from accounts import crypto


def test_encrypt_round_trips_and_hides_the_value():
    token = crypto.encrypt("021000021-123456789")
    assert "123456789" not in token
    assert crypto.encrypt("021000021-123456789") != token  # random IV: equal inputs differ
    assert crypto.decrypt(token) == "021000021-123456789"


def test_a_different_key_or_a_tampered_value_cannot_be_decrypted():
    token = crypto.encrypt("secret")
    with override_settings(FIELD_ENCRYPTION_KEY="another-key-entirely-" + "x" * 30):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"))


def test_keyed_hashes_are_stable_per_purpose_and_key():
    a = crypto.keyed_hash("ABCDE23456", purpose="backup-code")
    assert a == crypto.keyed_hash("ABCDE23456", purpose="backup-code")
    assert a != crypto.keyed_hash("ABCDE23456", purpose="email-code")
    with override_settings(FIELD_ENCRYPTION_KEY="another-key-entirely-" + "x" * 30):
        assert crypto.keyed_hash("ABCDE23456", purpose="backup-code") != a

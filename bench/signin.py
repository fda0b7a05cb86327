"""The sign-in password step, measured for ``make bench``: POST /accounts/login/ through the
whole stack in-process (allauth, the rate limits, the session), and the password hasher's
verify on its own, so the report shows how much of the step the hasher is."""

import statistics
import time

from django.contrib.auth.hashers import get_hasher, make_password
from django.test import Client
from django.urls import reverse

from accounts.models import User


def bench_signin(email: str, password: str, out, runs: int = 7) -> dict:
    user = User.objects.get(email=email)
    user.set_password(password)  # hashed by the configured (first) hasher
    user.save(update_fields=["password"])
    steps = []
    for _ in range(runs):
        client = Client()
        started = time.perf_counter()
        response = client.post(reverse("account_login"), {"login": email, "password": password})
        steps.append(time.perf_counter() - started)
        if response.status_code != 302:
            raise RuntimeError(f"sign-in answered {response.status_code}, not a redirect")
    hasher = get_hasher()
    row = {
        "hasher": hasher.algorithm,
        "params": {
            k: getattr(hasher, k)
            for k in ("time_cost", "memory_cost", "parallelism", "iterations")
            if hasattr(hasher, k)
        },
        "step_ms": round(statistics.median(steps) * 1000),
        "verify_ms": _verify_ms(hasher, password, runs),
        "pbkdf2_verify_ms": _verify_ms(get_hasher("pbkdf2_sha256"), password, runs),
    }
    out(
        f"  sign-in password step {row['step_ms']} ms (hasher {row['hasher']} "
        f"{row['verify_ms']} ms; PBKDF2 would be {row['pbkdf2_verify_ms']} ms)"
    )
    return row


def _verify_ms(hasher, password: str, runs: int) -> int:
    encoded = make_password(password, hasher=hasher.algorithm)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        hasher.verify(password, encoded)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000)

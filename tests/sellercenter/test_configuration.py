"""The production profile: refuses to start without its secrets, and passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "SELLERCENTER_ENV": "production",
    "SECRET_KEY": "x" * 20 + "-production-secret-for-the-deploy-check-" + "y" * 20,
    "ALLOWED_HOSTS": "sellercenter.example.com",
    "FIELD_ENCRYPTION_KEY": "z" * 44,
    "DEBUG": "0",
}


def manage(*args, env_overrides: dict, drop: tuple = ()) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is the browser tests' own setting, never a deployment's.
    drop = (*drop, "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("PYTEST")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = manage("check", env_overrides=env, drop=(missing,))
    assert result.returncode != 0
    assert f"refuses to start without {missing}" in result.stderr


def test_check_deploy_is_clean_on_the_production_profile():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PROD_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_collectstatic_builds_the_hashed_manifest(tmp_path):
    result = manage(
        "collectstatic", "--noinput", env_overrides={**PROD_ENV, "STATIC_ROOT": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "css/app.css" in manifest and "css/pages.css" in manifest
    assert "vendor/chart.js/chart.umd.min.js" in manifest
    assert any(p.name.endswith(".css.gz") for p in (tmp_path / "css").iterdir())

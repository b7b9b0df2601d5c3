"""Settings and deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, env_extra):
    # A clean environment: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for
    # this process, which a production check rightly refuses.
    dropped = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_under_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "xiaoben.example.cn",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage(
        "check",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "",
            "ALLOWED_HOSTS": "xiaoben.example.cn",
        },
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_migrations_are_in_sync_with_the_models():
    result = run_manage(
        "makemigrations",
        "--check",
        "--dry-run",
        env_extra={"DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_tasks_run_in_process_by_default():
    from accounts.tasks import ping

    assert ping.delay().get()["pong"] is True


def test_healthz_reports_redis_when_it_is_configured(db, settings, client):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == "error"
    assert "127.0.0.1" not in response.content.decode()

"""Small typed readers for settings taken from the environment.

Production settings call them with ``required=True`` so a missing value fails
at start-up instead of at the first request.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "", *, required: bool = False) -> str:
    value = os.environ.get(name, "")
    if value:
        return value
    if required:
        raise ImproperlyConfigured(f"environment variable {name} must be set")
    return default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name, "")
    if not value:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]

"""Secrets that must never reach a log, a crash report, a setting or an export.

The credentials module registers the API key when it learns it; every text that leaves the
process through a report passes `redact()`.
"""

from __future__ import annotations

import os

_secrets: set[str] = set()
ENV_KEYS = ("REGISTRY_DESK_API_KEY",)


def register_secret(value: str | None) -> None:
    if value and len(value) >= 4:
        _secrets.add(value)


def redact(text: str) -> str:
    for env in ENV_KEYS:
        register_secret(os.environ.get(env))
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    return text

"""Which registry to talk to, and a client for it built from the settings and the key.

Targets (decisions.md "Base URL"): the local sandbox that Registry Desk starts itself, the
M-RETS sandbox, and production at a URL the user enters (M-RETS has not published it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from desktop.errors import AuthError, UsageError
from desktop.sync import credentials
from desktop.sync.client import ClientConfig, RegistryClient, proxies_for
from desktop.sync.ratelimit import DEFAULT_LIMIT, Limit

LOCAL = "local sandbox"
MRETS_SANDBOX = "M-RETS sandbox"
PRODUCTION = "production"
TARGETS = (LOCAL, MRETS_SANDBOX, PRODUCTION)
LOCAL_URL = "http://127.0.0.1:8765"
MRETS_SANDBOX_URL = "https://api-sandbox.mrets.org"

# Settings keys (desktop.config.Settings); unknown ones read as None → the defaults here
TARGET = "registry.target"
PRODUCTION_URL = "registry.production_url"
LOCAL_URL_SETTING = "registry.local_url"
CA_BUNDLE = "registry.ca_bundle"
OS_TRUST = "registry.os_trust_store"
RATE_LIMIT = "registry.rate_limit"


class SettingsLike(Protocol):
    def get(self, key: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    url: str


def target_named(settings: SettingsLike, name: str | None = None) -> Target:
    wanted = (name or settings.get(TARGET) or LOCAL).strip()
    match = {t.casefold(): t for t in TARGETS}.get(wanted.casefold())
    if match is None:
        raise UsageError(f"Unknown registry target '{wanted}'; use one of: {', '.join(TARGETS)}.")
    if match == LOCAL:
        return Target(LOCAL, str(settings.get(LOCAL_URL_SETTING) or LOCAL_URL))
    if match == MRETS_SANDBOX:
        return Target(MRETS_SANDBOX, MRETS_SANDBOX_URL)
    url = str(settings.get(PRODUCTION_URL) or "").strip()
    if not url:
        raise UsageError(
            "The production registry's address is not set: enter it in Settings → Registry "
            "connection (M-RETS has not published it; ask apisupport@mrets.org)."
        )
    return Target(PRODUCTION, url)


def parse_limit(text: Any) -> Limit:
    if not text:
        return DEFAULT_LIMIT
    try:
        count, seconds = str(text).split("/", 1)
        return Limit(int(count), float(seconds))
    except ValueError:
        raise UsageError(f"Rate limit '{text}' is not N/SECONDS, e.g. 10/5.") from None


def client_for(
    settings: SettingsLike, *, target: str | None = None, key: str | None = None, **config: Any
) -> RegistryClient:
    """A client for the chosen target; the key from the argument, the environment or the
    keyring. Raises AuthError when there is none (the window then asks for it)."""
    chosen = target_named(settings, target)
    api_key = key or credentials.get_key(chosen.name)
    if not api_key:
        raise AuthError(
            f"No API key for the {chosen.name}: enter it in Settings → Registry connection, "
            f"or set {credentials.ENV_KEY}."
        )
    return RegistryClient(
        ClientConfig(
            base_url=chosen.url,
            api_key=api_key,
            ca_bundle=str(settings.get(CA_BUNDLE) or ""),
            use_os_trust_store=bool(settings.get(OS_TRUST)),
            limit=parse_limit(settings.get(RATE_LIMIT)),
            **config,
        )
    )


@dataclass(frozen=True, slots=True)
class Reachability:
    online: bool
    key_ok: bool | None  # None: no key to try
    message: str


def check_reachable(settings: SettingsLike, *, target: str | None = None) -> Reachability:
    """One quick request: is the registry there, and does the key work? (off the main thread)"""
    from desktop.errors import OfflineError, RegistryError  # noqa: PLC0415 - local names

    try:
        client = client_for(
            settings, target=target, connect_timeout=3.0, read_timeout=5.0, max_attempts=1
        )
    except AuthError as exc:
        return _reachable_without_key(settings, target, str(exc))
    try:
        return Reachability(True, True, client.test_connection())
    except AuthError as exc:
        return Reachability(True, False, str(exc))
    except OfflineError as exc:
        return Reachability(False, None, str(exc))
    except RegistryError as exc:
        return Reachability(True, None, str(exc))
    finally:
        client.close()


def _reachable_without_key(settings: SettingsLike, target: str | None, why: str) -> Reachability:
    import requests  # noqa: PLC0415 - only this plain probe needs it here

    url = target_named(settings, target).url
    try:
        requests.get(
            url,
            timeout=(3.0, 5.0),
            verify=str(settings.get(CA_BUNDLE) or "") or True,
            proxies=proxies_for(url),
        )
    except requests.RequestException:
        return Reachability(False, None, f"The registry at {url} cannot be reached.")
    return Reachability(True, None, why)

"""Where Registry Desk keeps its data, and the settings it declares.

`--data-dir` overrides the platform default (platformdirs), which keeps tests and several
stores on one machine apart. Settings live in `settings.json` in the data directory; secrets
never do (they go to the OS keyring through desktop.sync.credentials).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

APP_NAME = "RegistryDesk"
ENV_DATA_DIR = "REGISTRY_DESK_DATA_DIR"


def default_data_dir() -> Path:
    env = os.environ.get(ENV_DATA_DIR)
    return Path(env) if env else Path(user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True, slots=True)
class Paths:
    root: Path

    @property
    def store(self) -> Path:
        return self.root / "drafts.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def crash_reports(self) -> Path:
        return self.root / "crash-reports"

    @property
    def restore_request(self) -> Path:
        """Settings asks for a backup to be restored at the next start (the store is open now)."""
        return self.root / "restore-request.txt"

    def ensure(self) -> Paths:
        for d in (self.root, self.backups, self.logs, self.crash_reports):
            d.mkdir(parents=True, exist_ok=True)
        return self


@dataclass
class Settings:
    """Declared settings with their defaults; unknown keys in the file are kept, not lost."""

    values: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    DEFAULTS: dict[str, Any] = field(
        default_factory=lambda: {
            "registry.target": "local sandbox",
            "registry.production_url": "",
            "registry.ca_bundle": "",
            "generation.header_row": False,
            "generation.hourly_layout": 5,
            "generation.capacity_warning_factor": 1.25,
            "generation.time_zone": "",  # IANA zone of the months; "": the hour convention's
            "generation.earliest_stamp": "1990-01-01",  # meter stamps before it are typos
            "generation.days_ahead": 366,  # and so are stamps more days than this after today
            "backups.keep": 10,
            "ui.last_area": "home",
            "ui.theme": "System",
        }
    )

    @classmethod
    def load(cls, path: Path) -> Settings:
        values: dict[str, Any] = {}
        if path.is_file():
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                values = raw if isinstance(raw, dict) else {}
            except (OSError, ValueError):
                values = {}  # a damaged settings file falls back to defaults, drafts are untouched
        return cls(values=values, path=path)

    def get(self, key: str) -> Any:
        return self.values.get(key, self.DEFAULTS.get(key))

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value
        self.save()

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.values, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(self.path)

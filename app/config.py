"""Settings: a TOML file in the user's config dir; ``--db`` and ``PACKDESK_DB`` override."""

from __future__ import annotations

import os
import socket
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from app.domain.errors import ConfigError

APP_NAME = "Packdesk"
ENV_DB = "PACKDESK_DB"
ENV_HOME = "PACKDESK_HOME"  # one folder for config, data and logs (portable installs, tests)


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "packdesk.toml"

    @property
    def default_db(self) -> Path:
        return self.data_dir / "packdesk.sqlite"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "packdesk.log"


def default_paths() -> Paths:
    home = os.environ.get(ENV_HOME)
    if home:
        base = Path(home)
        return Paths(base / "config", base / "data", base / "logs")
    return Paths(
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )


@dataclass(frozen=True)
class Settings:
    """What one station needs to start."""

    db_url: str = ""
    station: str = field(default_factory=lambda: socket.gethostname() or "station-1")
    #: "" follows the system locale; "en" or "zh_CN"
    language: str = ""
    #: demo mode: emulated devices
    demo: bool = False
    log_level: str = "INFO"

    def to_toml(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("demo")
        return {k: v for k, v in data.items() if v != ""}


def load_settings(
    paths: Paths | None = None, *, db_override: str | None = None, env: dict[str, str] | None = None
) -> Settings:
    """Read the settings file (if any), then apply ``PACKDESK_DB`` and ``--db``."""
    paths = paths or default_paths()
    env = dict(os.environ) if env is None else env
    raw: dict[str, Any] = {}
    if paths.config_file.exists():
        try:
            raw = tomllib.loads(paths.config_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(
                "The settings file {config_file} cannot be read: {exc}. Fix or "
                "delete it and start again.",
                config_file=paths.config_file,
                exc=exc,
            ) from exc
    known = {f for f in Settings.__dataclass_fields__ if f != "demo"}
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(
            "Unknown settings in {config_file}: {unknown}.",
            config_file=paths.config_file,
            unknown=", ".join(sorted(unknown)),
        )
    settings = Settings(**{k: str(v) for k, v in raw.items()})  # type: ignore[arg-type]
    url = db_override or env.get(ENV_DB) or settings.db_url or f"sqlite:///{paths.default_db}"
    return replace(settings, db_url=url)


def save_settings(settings: Settings, paths: Paths | None = None) -> None:
    """Write all settings to the file (first set-up)."""
    _write(settings.to_toml(), paths or default_paths())


def update_settings_file(paths: Paths | None = None, **changes: str) -> None:
    """Change some keys of the settings file and keep the rest as the user wrote it (an
    override such as ``--db`` is never written back)."""
    paths = paths or default_paths()
    raw: dict[str, Any] = {}
    if paths.config_file.exists():
        raw = tomllib.loads(paths.config_file.read_text(encoding="utf-8"))
    raw.update(changes)
    _write(raw, paths)


def _write(data: dict[str, Any], paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    tmp = paths.config_file.with_suffix(".tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    tmp.replace(paths.config_file)

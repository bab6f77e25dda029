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
#: a station's PostgreSQL connections: kept open, and more at once for a burst (closed again
#: when returned). Why these sizes: docs/postgresql-server.md, "Connections".
DEFAULT_POOL_SIZE = 2
DEFAULT_MAX_OVERFLOW = 3
#: settings that are whole numbers (the rest are text), with the smallest value allowed
INT_SETTINGS = {"db_pool_size": 1, "db_max_overflow": 0}


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
    #: PostgreSQL only: connections this station keeps open, and how many more it may open at
    #: once (docs/postgresql-server.md, "Connections")
    db_pool_size: int = DEFAULT_POOL_SIZE
    db_max_overflow: int = DEFAULT_MAX_OVERFLOW

    def to_toml(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("demo")
        defaults = Settings.__dataclass_fields__
        return {
            k: v
            for k, v in data.items()
            if v != "" and not (k in INT_SETTINGS and v == defaults[k].default)
        }


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
    values: dict[str, Any] = {k: _value(k, v, paths.config_file) for k, v in raw.items()}
    settings = Settings(**values)
    url = db_override or env.get(ENV_DB) or settings.db_url or f"sqlite:///{paths.default_db}"
    return replace(settings, db_url=url)


def _value(key: str, value: object, config_file: Path) -> str | int:
    """A setting as its field wants it: whole numbers checked, the rest as text."""
    if key not in INT_SETTINGS:
        return str(value)
    try:
        number = int(str(value))
    except ValueError:
        number = -1
    if number < INT_SETTINGS[key]:
        raise ConfigError(
            "The setting {key} in {config_file} must be a whole number of at least {least}, "
            "not {value!r}.",
            key=key,
            config_file=config_file,
            least=INT_SETTINGS[key],
            value=value,
        )
    return number


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

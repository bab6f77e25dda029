"""What every sub-command shares: settings, a lazily bootstrapped Services, JSON output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.domain.users import Actor


class CliError(Exception):
    """A usage problem found after parsing; printed as a message, exit code ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class CliContext:
    args: argparse.Namespace
    settings: Settings
    paths: Paths
    _services: Services | None = field(default=None, repr=False)
    _actor: Actor | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if getattr(self.args, "station", None):
            self.settings = replace(self.settings, station=self.args.station)
        if getattr(self.args, "lang", None):
            self.settings = replace(self.settings, language=self.args.lang)
        if getattr(self.args, "demo", False):
            self.settings = replace(self.settings, demo=True)

    @property
    def force_upgrade(self) -> bool:
        """--force-upgrade or PACKDESK_FORCE_UPGRADE=1: upgrade under older stations."""
        flag = bool(getattr(self.args, "force_upgrade", False))
        return flag or os.environ.get("PACKDESK_FORCE_UPGRADE", "") == "1"

    @property
    def services(self) -> Services:
        if self._services is None:
            self._services = bootstrap(self.settings, self.paths, force_upgrade=self.force_upgrade)
        return self._services

    @property
    def actor(self) -> Actor:
        """Who the command acts as (``--user``, or the local station operator); see
        ``app.cli.identity``."""
        if self._actor is None:
            from app.cli.identity import identify

            self._actor = identify(self.services, getattr(self.args, "user", None))
        return self._actor

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
            self._services = None


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")

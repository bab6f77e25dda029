"""A rotating log file in the user's log dir."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path


def setup_logging(log_file: Path, level: str = "INFO") -> Path:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(level.upper())
    for h in list(root.handlers):
        if getattr(h, "_packdesk", False):
            root.removeHandler(h)
            h.close()
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._packdesk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return log_file


def close_logging() -> None:
    """Remove and close Packdesk's file handler (tests, shutdown)."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_packdesk", False):
            root.removeHandler(h)
            h.close()

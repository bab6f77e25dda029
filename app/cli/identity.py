"""Who a command acts as: a named user (``--user NAME``), or this station's operator on a
local database file.

- ``--user NAME``: the password comes from ``PACKDESK_PASSWORD`` or is asked for (without
  echo); the user's role decides what the command may do, as on the screens.
- Without ``--user``: the command runs as ``station-operator:<OS user>@<station>`` with the
  administrator's rights, and only on a local SQLite file that this OS user can write (whoever
  can write the file could change it anyway). A shared PostgreSQL database always needs
  ``--user``.

Either way the audit log names who did it.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from app.bootstrap import Services
from app.cli.common import CliError
from app.domain.users import Actor, Role
from app.services import auth

PASSWORD_ENV = "PACKDESK_PASSWORD"


def identify(services: Services, user: str | None) -> Actor:
    if user:
        return services.run(
            auth.login, user, _password(user), services.station_id, services.station_code
        )
    check_station_operator(services.settings.db_url)
    return station_operator(services)


def check_station_operator(db_url: str) -> None:
    """Refuse to act as the station operator unless the database is a local file this OS user
    may write (checked before the database is even opened)."""
    path = local_file(db_url)
    if path is None:
        raise CliError(
            "this is a shared database, so say who you are: --user NAME (the password is "
            f"taken from {PASSWORD_ENV}, or asked for)"
        )
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent  # a new file: its folder (or the nearest one there is) counts
    if not os.access(probe, os.W_OK):
        raise CliError(
            f"you cannot write the database file {path}, so you cannot act as this station's "
            "operator: log in with --user NAME, or run as the OS user that owns the file"
        )


def station_operator(services: Services) -> Actor:
    """The local operator: named in the audit by OS user and station."""
    name = f"station-operator:{_os_user()}@{services.station_code}"[:64]
    return Actor(None, name, Role.ADMIN, services.station_id, services.station_code)


def local_file(db_url: str) -> Path | None:
    """The file of a SQLite database URL; None for a server or an in-memory database."""
    try:
        url = make_url(db_url)
    except ArgumentError:
        return None
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.database.startswith("file:"):
        return None  # URI filenames (shared caches, read-only modes): not a plain local file
    return Path(url.database)


def _password(user: str) -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    if not sys.stdin.isatty():
        raise CliError(f"no password for {user}: set {PASSWORD_ENV}, or run in a terminal")
    return getpass.getpass(f"Password for {user}: ")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"

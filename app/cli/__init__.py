"""The ``packdesk`` command line. With no command it opens the app (the GUI entry is injected by
``ui.launcher``, so nothing here imports Qt). Bad arguments exit non-zero with a message, never a
traceback."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from app import __version__
from app.cli import (
    carriers,
    dashboard,
    db,
    demo,
    handover,
    labels,
    layout,
    mappings,
    notices,
    offline,
    orders,
    picklist,
    pickup,
    privacy,
    returns,
    simulate,
    sorting,
    tracking,
    users,
    waves,
)
from app.cli.common import CliContext, CliError
from app.cli.identity import check_station_operator, local_file
from app.config import default_paths, load_settings
from app.domain.errors import PackdeskError
from app.first_start import prepare_first_start
from app.logs import setup_logging

log = logging.getLogger("packdesk.cli")

#: modules that add sub-commands: each has register(subparsers)
COMMAND_MODULES = [
    db,
    demo,
    orders,
    mappings,
    layout,
    waves,
    picklist,
    users,
    privacy,
    carriers,
    tracking,
    sorting,
    labels,
    notices,
    returns,
    simulate,
    handover,
    pickup,
    dashboard,
    offline,
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"packdesk: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="packdesk", description="Packdesk warehouse stations: pick, pack, ship.")
    # argparse prints it and exits 0 while parsing: before any settings, database or window
    parser.add_argument(
        "--version", action="version", version=f"packdesk {__version__}", help="print the version"
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database: sqlite:///file.sqlite or postgresql+psycopg://user:pw@host/db"
        " (default: PACKDESK_DB, then the settings file, then a local file)",
    )
    parser.add_argument("--station", help="this station's name (default: from settings)")
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="act as this user (password from PACKDESK_PASSWORD, or asked); without it, "
        "commands run as the station operator, on a local database file only",
    )
    parser.add_argument("--lang", choices=["en", "zh_CN"], help="language of the app")
    parser.add_argument(
        "--demo", action="store_true", help="open the app with emulated scanner, scale and printer"
    )
    # commands act as someone (app.cli.identity) unless they set needs_identity=False
    parser.set_defaults(needs_identity=True)
    parser.add_argument(
        "--force-upgrade",
        action="store_true",
        help="upgrade a shared database even while stations of an older Packdesk are running"
        " (also PACKDESK_FORCE_UPGRADE=1); back it up first with 'packdesk db backup FILE'",
    )
    sub = parser.add_subparsers(dest="command", metavar="command", parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(
    argv: Sequence[str] | None = None, open_gui: Callable[[CliContext], int] | None = None
) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    paths = default_paths()
    try:
        settings = load_settings(paths, db_override=args.db)
    except PackdeskError as exc:
        print(f"packdesk: {exc.message}", file=sys.stderr)
        return 2
    setup_logging(paths.log_file, settings.log_level)
    prepare_first_start(paths)
    ctx = CliContext(args=args, settings=settings, paths=paths)
    try:
        if args.command is None:
            if open_gui is None:
                print("packdesk: the app is not available in this installation.", file=sys.stderr)
                return 2
            return open_gui(ctx)
        if args.needs_identity and not args.user and local_file(settings.db_url) is not None:
            # before the file is opened (opening it writes); a server is checked after connecting
            check_station_operator(settings.db_url)
        handler: Callable[[CliContext], int] = args.handler
        return handler(ctx)
    except CliError as exc:
        print(f"packdesk: {exc}", file=sys.stderr)
        return exc.code
    except PackdeskError as exc:
        print(f"packdesk: {exc.message}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the output went to a pipe that closed early (| head): not an error of ours
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("packdesk: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected error in %s", args.command)
        print(
            f"packdesk: an unexpected error happened. The details are in {paths.log_file}; "
            "please send that file with a bug report.",
            file=sys.stderr,
        )
        return 3
    finally:
        ctx.close()

"""Entry point of the ``packdesk`` console script: the CLI, with the GUI injected."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _open_gui(ctx: object) -> int:
    from ui.application import run_app

    return run_app(ctx)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        # the installers' smoke test: answer before the command line's imports (seconds)
        from app import __version__

        print(f"packdesk {__version__}")
        return 0
    from app.cli import main as cli_main

    return cli_main(args, open_gui=_open_gui)


if __name__ == "__main__":
    sys.exit(main())

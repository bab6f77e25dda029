"""Entry point of the ``packdesk`` console script: the CLI, with the GUI injected."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _open_gui(ctx: object) -> int:
    from ui.application import run_app

    return run_app(ctx)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    from app.cli import main as cli_main

    return cli_main(argv, open_gui=_open_gui)


if __name__ == "__main__":
    sys.exit(main())

"""``packdesk offline status|replay``: the station's offline journal (docs/offline.md).

``status`` reads the station store only (it works while the shared database is away);
``replay`` connects, replays what waits, and prints the same keys. The JSON is a contract
(keys are added, never renamed): ``offline``, ``since``, ``waiting``, ``conflicts``, ``store``,
``last_error``."""

from __future__ import annotations

from typing import Any

from app.bootstrap import bootstrap
from app.cli.common import CliContext, CliError, print_json
from app.domain.errors import PackdeskError
from app.offline.start import stored_state


def register(sub: Any) -> None:
    p = sub.add_parser(
        "offline",
        help="the station's offline journal: what waits for the shared database",
        description="A station on a shared database goes on packing from its own copy while "
        "the database is away, and keeps each action in a journal until it is replayed.",
    )
    actions = p.add_subparsers(dest="offline_command", required=True)
    status = actions.add_parser("status", help="offline or not, since when, actions waiting")
    status.add_argument("--json", action="store_true", help="a JSON object instead of text")
    status.set_defaults(handler=show)
    replay = actions.add_parser("replay", help="replay the waiting actions now")
    replay.add_argument("--json", action="store_true", help="a JSON object instead of text")
    replay.set_defaults(handler=replay_now)


def _print(ctx: CliContext, data: dict[str, Any]) -> None:
    if ctx.args.json:
        print_json(data)
        return
    if data["offline"]:
        print(f"Offline since {data['since']}: {data['last_error']}")
    else:
        print("Online")
    print(f"Actions waiting: {data['waiting']}; conflicts: {data['conflicts']}")
    print(f"Station store: {data['store']}")


def show(ctx: CliContext) -> int:
    _print(ctx, stored_state(ctx.paths, ctx.settings.station))
    return 0


def replay_now(ctx: CliContext) -> int:
    try:
        services = bootstrap(ctx.settings, ctx.paths, offline=True)
    except PackdeskError as exc:
        raise CliError(exc.message, 1) from exc
    try:
        if services.offline is None:
            raise CliError("This station works on a local SQLite file: it has no offline journal.")
        services.offline.replay_now()
    finally:
        services.close()
    data = stored_state(ctx.paths, ctx.settings.station)
    _print(ctx, data)
    return 1 if data["offline"] else 0

"""``packdesk users ...``: create the first admin or more users from a terminal."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from app.cli.common import CliContext, CliError
from app.domain.users import Role
from app.services import auth


def register(sub: Any) -> None:
    p = sub.add_parser("users", help="manage users")
    usub = p.add_subparsers(dest="users_command", metavar="action", required=True)
    add = usub.add_parser("add", help="add a user (the first one must be an admin)")
    add.add_argument("username")
    add.add_argument("--role", choices=[r.value for r in Role], default=Role.ADMIN.value)
    add.add_argument("--name", default="", help="display name")
    add.add_argument("--badge", help="badge barcode for scan log-in")
    add.add_argument("--pin", help="PIN that goes with the badge (4-8 digits)")
    add.add_argument(
        "--password-env",
        metavar="VAR",
        help="read the password from this environment variable instead of asking",
    )
    # the first user of an empty database needs nobody; later ones need a user manager
    add.set_defaults(handler=add_user, needs_identity=False)
    lst = usub.add_parser("list", help="list users")
    lst.set_defaults(handler=list_users)


def _password(ctx: CliContext) -> str:
    if ctx.args.password_env:
        value = os.environ.get(ctx.args.password_env)
        if not value:
            raise CliError(f"the environment variable {ctx.args.password_env} is empty")
        return value
    if not sys.stdin.isatty():
        raise CliError(
            "there is no terminal to ask the new user's password on: put it in an environment "
            "variable and name it with --password-env VAR"
        )
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise CliError("the two passwords differ")
    return first


def add_user(ctx: CliContext) -> int:
    services = ctx.services
    if services.run(auth.needs_first_admin):
        if ctx.args.role != Role.ADMIN.value:
            raise CliError("the first user must be an admin (--role admin)")
        info = services.run(
            auth.create_first_admin, ctx.args.username, _password(ctx), services.station_id
        )
    else:
        info = services.run(
            auth.create_user,
            ctx.actor,
            ctx.args.username,
            ctx.args.role,
            _password(ctx),
            ctx.args.name,
            ctx.args.badge,
            ctx.args.pin,
        )
    print(f"user {info.username} ({info.role.value}) created")
    return 0


def list_users(ctx: CliContext) -> int:
    for u in ctx.services.run(auth.list_users, ctx.actor):
        print(
            f"{u.username:<20} {u.role.value:<14} {'active' if u.active else 'disabled'}"
            f"{'  badge' if u.has_badge else ''}"
        )
    return 0

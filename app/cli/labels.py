"""``packdesk labels attach ORDER FILE`` and ``packdesk labels attach-folder DIR``: carrier
labels made elsewhere (PDF or ZPL), attached to their orders and printed as they are at the pack
station. JSON keys are a contract (add, never rename)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.cli.common import CliContext, CliError, print_json
from app.domain.errors import ValidationError
from app.services import order_labels


def register(sub: Any) -> None:
    p = sub.add_parser(
        "labels",
        help="attach carrier labels made elsewhere to their orders",
        description="Carrier labels made by another system (PDF or ZPL files) are attached to "
        "their orders; the pack station prints them as they are instead of drawing a label.",
    )
    cmds = p.add_subparsers(dest="labels_command", metavar="action", required=True)
    one = cmds.add_parser("attach", help="attach one label file to an order")
    one.add_argument("order", metavar="ORDER", help="the order number")
    one.add_argument("file", metavar="FILE", help="the label file (PDF or ZPL)")
    one.add_argument("--tracking", default="", help="the tracking number on the label")
    one.add_argument("--json", action="store_true", help="print the result as JSON")
    one.set_defaults(handler=attach_one)
    folder = cmds.add_parser(
        "attach-folder",
        help="attach every label file of a folder, named by order number",
        description="Attach every .pdf/.zpl/.txt/.prn file of DIR to the order its name gives "
        "(SO10023.pdf; SO10023-2.pdf for the order's second parcel). Files already attached "
        "are skipped; a file that cannot be attached is listed with the reason. Exit status 1 "
        "when any file could not be attached.",
    )
    folder.add_argument("dir", metavar="DIR")
    folder.add_argument("--json", action="store_true", help="print the result as JSON")
    folder.set_defaults(handler=attach_folder)


def _attached(a: order_labels.AttachedLabel) -> dict[str, Any]:
    return {
        "order": a.order_number,
        "file": a.filename,
        "format": a.format,
        "parcel": a.seq,
        "duplicate": a.duplicate,
    }


def attach_one(ctx: CliContext) -> int:
    path = Path(ctx.args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}", 2) from exc
    try:
        done = ctx.services.run(
            order_labels.attach_label,
            ctx.actor,
            ctx.args.order,
            path.name,
            data,
            ctx.args.tracking,
        )
    except ValidationError as exc:
        raise CliError(exc.message, 2) from exc
    if ctx.args.json:
        print_json(_attached(done))
    else:
        state = "already attached" if done.duplicate else "attached"
        print(f"{path.name}: {state} to order {done.order_number} ({done.format.upper()})")
    return 0


def attach_folder(ctx: CliContext) -> int:
    try:
        report = ctx.services.run(order_labels.attach_folder, ctx.actor, Path(ctx.args.dir))
    except ValidationError as exc:
        raise CliError(exc.message, 2) from exc
    if ctx.args.json:
        print_json(
            {
                "attached": [_attached(a) for a in report.attached],
                "skipped": list(report.skipped),
                "errors": [{"file": f, "reason": r} for f, r in report.errors],
            }
        )
    else:
        for a in report.attached:
            print(f"{a.filename}: attached to order {a.order_number}")
        for f, r in report.errors:
            print(f"{f}: {r}")
        print(
            f"{len(report.attached)} attached, {len(report.skipped)} already attached, "
            f"{len(report.errors)} not attached"
        )
    return 1 if report.errors else 0

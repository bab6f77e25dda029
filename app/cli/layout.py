"""``packdesk layout show|load`` and ``packdesk route``: the warehouse layout and pick routes on
it. JSON keys are a contract (add, never rename)."""

from __future__ import annotations

import sys
from typing import Any

from app.cli.common import CliContext, CliError, print_json
from app.domain.errors import ImportFileError, ValidationError
from app.services import layout_load, layouts
from app.services.layout_views import LayoutView, RouteDrawing


def register(sub: Any) -> None:
    p = sub.add_parser("layout", help="show or load the warehouse layout (aisles, cross aisles)")
    lsub = p.add_subparsers(dest="layout_command", metavar="action", required=True)
    sp = lsub.add_parser("show", help="print the layout and the pickable locations' access points")
    sp.add_argument("--warehouse", metavar="CODE", help="the warehouse (default: the first)")
    sp.add_argument("--json", action="store_true", help="a JSON object instead of a summary")
    sp.set_defaults(handler=show)
    lp = lsub.add_parser(
        "load",
        help="replace the layout with a TOML or CSV layout file",
        description="Load a layout file (.toml or .csv, see docs/layout.md): the warehouse's "
        "aisles, cross aisles, depots and zones are replaced, and its location rows move "
        "existing locations. A file with problems changes nothing; they are listed by row "
        "(CSV) or line (TOML) and the exit status is 2.",
    )
    lp.add_argument("file", metavar="FILE", help="the layout file (.toml or .csv)")
    lp.add_argument("--warehouse", metavar="CODE", help="the warehouse (default: the file's)")
    lp.add_argument("--json", action="store_true", help="print the result as a JSON object")
    lp.set_defaults(handler=load)
    rp = sub.add_parser(
        "route",
        help="the shortest walk through locations, from the default depot and back",
        description="Route the given locations (codes or barcodes; each visited once) from the "
        "default depot back to it, with the S-shape and largest-gap lengths beside it.",
    )
    rp.add_argument("locations", metavar="LOCATION", nargs="+", help="location codes")
    rp.add_argument("--warehouse", metavar="CODE", help="the warehouse (default: the first)")
    rp.add_argument("--json", action="store_true", help="a JSON object instead of a list")
    rp.set_defaults(handler=route)


def layout_json(view: LayoutView) -> dict[str, object]:
    """``layout show --json`` (keys are a contract)."""
    depot = view.depot
    return {
        "warehouse": view.warehouse,
        "depot": {"x": depot.x, "y": depot.y} if depot else None,
        "aisles": [
            {"code": a.code, "x": a.x, "y_from": a.y_from, "y_to": a.y_to} for a in view.aisles
        ],
        "cross_aisles": [{"y": c.y} for c in view.cross_aisles],
        "locations": [
            {"code": loc.code, "aisle": loc.aisle, "x": loc.x, "y": loc.y} for loc in view.locations
        ],
    }


def show(ctx: CliContext) -> int:
    view = ctx.services.run(layouts.layout_view, ctx.actor, ctx.args.warehouse)
    if ctx.args.json:
        print_json(layout_json(view))
        return 0
    if view.is_empty:
        raise CliError(layouts.NO_LAYOUT.format(warehouse=view.warehouse), code=1)
    print(f"Warehouse {view.warehouse}")
    xs = [a.x for a in view.aisles]
    print(f"  {len(view.aisles)} aisles, x {min(xs):g} to {max(xs):g} m")
    for a in view.aisles:
        print(f"    {a.code:<6} x {a.x:>7g}   y {a.y_from:g} to {a.y_to:g}")
    crosses = ", ".join(f"{c.y:g}" + (f" ({c.name})" if c.name else "") for c in view.cross_aisles)
    print(f"  {len(view.cross_aisles)} cross aisles at y {crosses}")
    for d in view.depots:
        mark = "  (default)" if d.is_default or d is view.depot else ""
        print(f"  depot {d.code} {d.name} at x {d.x:g}, y {d.y:g}{mark}")
    print(f"  {len(view.locations)} pickable locations on the layout")
    return 0


def load(ctx: CliContext) -> int:
    try:
        r = ctx.services.run(
            layout_load.load_layout_file, ctx.actor, ctx.args.file, ctx.args.warehouse
        )
    except ImportFileError as exc:
        if ctx.args.json:
            print_json({"error": exc.message})
        raise CliError(exc.message) from None
    if ctx.args.json:
        print_json(
            {
                "warehouse": r.warehouse,
                "aisles": r.aisles,
                "cross_aisles": r.cross_aisles,
                "depots": r.depots,
                "zones": r.zones,
                "locations": r.locations,
                "problems": [{"row": p.row, "reason": p.reason} for p in r.problems],
            }
        )
    if r.problems:
        print(
            f"packdesk: {r.file} has {len(r.problems)} problems; nothing was changed. "
            "Fix them and load the file again:",
            file=sys.stderr,
        )
        for p in r.problems:
            where = f"{r.row_word} {p.row}" if p.row else "file"
            print(f"  {where}: {p.reason}", file=sys.stderr)
        return 2
    if not ctx.args.json:
        print(
            f"Layout of {r.warehouse} loaded from {r.file}: {r.aisles} aisles, "
            f"{r.cross_aisles} cross aisles, {r.depots} depots, {r.zones} zones, "
            f"{r.locations} locations moved"
        )
    return 0


def route_json(d: RouteDrawing) -> dict[str, object]:
    """``route --json`` (keys are a contract)."""
    return {
        "stops": [{"location": s.location, "x": s.x, "y": s.y} for s in d.stops],
        "length_m": d.length_m,
        "s_shape_m": d.s_shape_m,
        "largest_gap_m": d.largest_gap_m,
    }


def route(ctx: CliContext) -> int:
    try:
        d = ctx.services.run(
            layouts.route_locations, ctx.actor, ctx.args.locations, ctx.args.warehouse
        )
    except ValidationError as exc:
        raise CliError(exc.message) from None
    if ctx.args.json:
        print_json(route_json(d))
        return 0
    for s in d.stops:
        print(f"{s.number:>3}. {s.location:<16} x {s.x:>7g}  y {s.y:>7g}")
    print(
        f"Walk {d.length_m:.1f} m (S-shape {d.s_shape_m:.1f} m, largest gap "
        f"{d.largest_gap_m:.1f} m)"
    )
    return 0

"""Which carton fits: a first-fit packing of the items' boxes, with rotations, not just volume.

**The packing.** Every unit is a box (its outer length, width and height). The units are taken
largest first (first-fit decreasing by volume, then by longest side) and each goes to the first
*extreme point* of the carton where one of its six rotations fits without overlapping the units
already in (Crainic, Perboli and Tadei, "Extreme point-based heuristics for three-dimensional bin
packing", INFORMS Journal on Computing 20(3), 2008). Extreme points are the corners next to the
units already placed (right of, behind and on top of each), each also pushed back and down
onto the nearest unit or wall, tried lowest first, then nearest the back, then nearest the left:
the carton fills from the floor up, like a packer does. A unit's rotations are tried in the
order of a policy (as the catalogue gives it, lying flat, standing up); when one policy leaves a
unit out, the next one repacks from scratch. It is a heuristic: when it reports a
fit the placement is real (``placement`` returns it, tests check that no two units overlap and
all stay inside); it may miss a very tight packing and suggest the next carton up.

**Units of unknown size** (0 in any dimension: the catalogue lacks it) count by weight only and
never block the fit; ``Suggestion.unknown_size_units`` says how many there were, so the pack
screen can say "sizes unknown for N items".

**The choice** (``suggest``), simple and predictable:

1. the smallest box (by inner volume; then the lower weight limit, then the code) into which
   every unit fits and whose maximum weight holds the items plus its own tare (an envelope with
   an inner size counts as a flat box);
2. when no box fits, or there are only bags: a polybag (a package without fixed inner size)
   whose maximum weight holds the items plus its tare: the one with the lowest limit (no limit
   counts as the highest);
3. nothing fits: None (the packer scans a carton).

The maximum weight always includes the tare: a 2 kg box of 300 g holds 1.7 kg of items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import permutations

_NO_LIMIT = 1 << 62


@dataclass(frozen=True, slots=True)
class ItemBox:
    """``qty`` units of one product, each a box of these outer dimensions (mm) and weight."""

    length_mm: int
    width_mm: int
    height_mm: int
    weight_g: int = 0
    qty: int = 1

    @property
    def known_size(self) -> bool:
        return self.length_mm > 0 and self.width_mm > 0 and self.height_mm > 0


@dataclass(frozen=True, slots=True)
class Carton:
    """A package type: inner dimensions (all 0 for a polybag: no fixed size), tare and limit."""

    code: str
    kind: str
    length_mm: int
    width_mm: int
    height_mm: int
    tare_g: int = 0
    #: 0: no limit
    max_weight_g: int = 0
    package_type_id: int | None = None

    @property
    def flexible(self) -> bool:
        return self.kind == "polybag" or not (self.length_mm and self.width_mm and self.height_mm)

    @property
    def volume_mm3(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm


@dataclass(frozen=True, slots=True)
class Placed:
    """One unit in the carton: ``item`` is its index in the items given, ``x, y, z`` its corner
    (mm from the carton's left, back, floor) and ``l, w, h`` its size as rotated."""

    item: int
    x: int
    y: int
    z: int
    l: int  # noqa: E741
    w: int
    h: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The carton suggested for the items, and what the suggestion could not see."""

    carton: Carton | None
    #: units whose size is unknown: counted by weight only
    unknown_size_units: int = 0
    #: the items' weight (without the tare)
    items_g: int = 0


def _weight_ok(items_g: int, carton: Carton) -> bool:
    return not carton.max_weight_g or items_g + carton.tare_g <= carton.max_weight_g


def _units(items: Sequence[ItemBox]) -> list[tuple[int, int, int, int]]:
    """The units of known size, largest first: (volume, longest side, item index, unit)."""
    units: list[tuple[int, int, int, int]] = []
    for index, item in enumerate(items):
        if item.known_size:
            volume = item.length_mm * item.width_mm * item.height_mm
            longest = max(item.length_mm, item.width_mm, item.height_mm)
            units += [(volume, longest, index, k) for k in range(item.qty)]
    units.sort(key=lambda u: (-u[0], -u[1], u[2]))
    return units


#: the orders in which a unit's rotations are tried, one packing attempt each until one fits:
#: as the catalogue gives it first; lying flat first (the smallest side up); standing (the
#: longest side up)
POLICIES = ("as_given", "flat", "upright")


def _rotations(item: ItemBox, policy: str) -> list[tuple[int, int, int]]:
    """The distinct rotations of the unit, in the order the policy tries them."""
    given = (item.length_mm, item.width_mm, item.height_mm)
    dims = sorted({(a, b, c) for a, b, c in permutations(given)}, key=lambda d: (-d[0], -d[1]))
    if policy == "flat":
        dims.sort(key=lambda d: d[2])
    elif policy == "upright":
        dims.sort(key=lambda d: -d[2])
    else:
        dims.sort(key=lambda d: d != given)
    return dims


#: a placed unit as its two opposite corners: x1, y1, z1, x2, y2, z2
Space = tuple[int, int, int, int, int, int]
Point = tuple[int, int, int]


def _new_points(b: Space, boxes: list[Space]) -> set[Point]:
    """The corners right of, behind and on top of the unit just placed (``b``), each as is and
    slid back along the two other axes until it meets a unit or the wall."""
    x1, y1, z1, x2, y2, z2 = b
    right_y = right_z = behind_x = behind_z = top_x = top_y = 0
    for p in boxes:
        px1, py1, pz1, px2, py2, pz2 = p
        if px1 <= x2 < px2:  # the right corner (x2, y1, z1)
            if pz1 <= z1 < pz2 and py2 <= y1:
                right_y = max(right_y, py2)
            if py1 <= y1 < py2 and pz2 <= z1:
                right_z = max(right_z, pz2)
        if py1 <= y2 < py2:  # the corner behind (x1, y2, z1)
            if pz1 <= z1 < pz2 and px2 <= x1:
                behind_x = max(behind_x, px2)
            if px1 <= x1 < px2 and pz2 <= z1:
                behind_z = max(behind_z, pz2)
        if pz1 <= z2 < pz2:  # the corner on top (x1, y1, z2)
            if py1 <= y1 < py2 and px2 <= x1:
                top_x = max(top_x, px2)
            if px1 <= x1 < px2 and py2 <= y1:
                top_y = max(top_y, py2)
    return {
        (x2, y1, z1),
        (x2, right_y, z1),
        (x2, y1, right_z),
        (x1, y2, z1),
        (behind_x, y2, z1),
        (x1, y2, behind_z),
        (x1, y1, z2),
        (top_x, y1, z2),
        (x1, top_y, z2),
    }


def _free(x1: int, y1: int, z1: int, x2: int, y2: int, z2: int, boxes: list[Space]) -> bool:
    for px1, py1, pz1, px2, py2, pz2 in boxes:
        if x1 < px2 and px1 < x2 and y1 < py2 and py1 < y2 and z1 < pz2 and pz1 < z2:
            return False
    return True


def _first_spot(
    rotations: list[tuple[int, int, int]],
    points: list[Point],
    failed: set[Point],
    boxes: list[Space],
    size: tuple[int, int, int],
) -> Space | None:
    """The first extreme point (lowest, then back, then left) and rotation where the unit fits;
    the points where it does not are added to ``failed`` (a unit of the same size that comes
    next does not fit there either: the carton only fills up)."""
    sx, sy, sz = size
    for point in points:
        if point in failed:
            continue
        x, y, z = point
        for l, w, h in rotations:  # noqa: E741
            if (
                x + l <= sx
                and y + w <= sy
                and z + h <= sz
                and _free(x, y, z, x + l, y + w, z + h, boxes)
            ):
                return (x, y, z, x + l, y + w, z + h)
        failed.add(point)
    return None


def _place_all(items: Sequence[ItemBox], carton: Carton, policy: str) -> list[Placed] | None:
    size = (carton.length_mm, carton.width_mm, carton.height_mm)
    rotations = {i: _rotations(item, policy) for i, item in enumerate(items) if item.known_size}
    boxes: list[Space] = []
    placed: list[Placed] = []
    points: list[Point] = [(0, 0, 0)]
    failed: set[Point] = set()
    last = -1
    for _volume, _longest, index, _k in _units(items):
        if index != last:
            failed, last = set(), index
        b = _first_spot(rotations[index], points, failed, boxes, size)
        if b is None:
            return None
        boxes.append(b)
        placed.append(Placed(index, b[0], b[1], b[2], b[3] - b[0], b[4] - b[1], b[5] - b[2]))
        kept = {
            q
            for q in points
            if not (b[0] <= q[0] < b[3] and b[1] <= q[1] < b[4] and b[2] <= q[2] < b[5])
        }
        kept.update(
            q for q in _new_points(b, boxes) if q[0] < size[0] and q[1] < size[1] and q[2] < size[2]
        )
        points = sorted(kept, key=lambda q: (q[2], q[1], q[0]))
    return placed


def _could_fit(items: Sequence[ItemBox], carton: Carton) -> bool:
    """The quick refusals: more volume than the carton, or a unit too big in any rotation."""
    inner = sorted((carton.length_mm, carton.width_mm, carton.height_mm))
    volume = 0
    for item in items:
        if not item.known_size or item.qty <= 0:
            continue
        dims = sorted((item.length_mm, item.width_mm, item.height_mm))
        if dims[0] > inner[0] or dims[1] > inner[1] or dims[2] > inner[2]:
            return False
        volume += dims[0] * dims[1] * dims[2] * item.qty
    return volume <= carton.volume_mm3


def placement(items: Sequence[ItemBox], carton: Carton) -> tuple[Placed, ...] | None:
    """Where each unit of known size goes in the carton, or None when they do not all fit or
    the weight limit (items plus tare) is exceeded. A polybag places nothing: ``()`` when its
    weight limit holds."""
    if not _weight_ok(sum(i.weight_g * i.qty for i in items), carton):
        return None
    if carton.flexible:
        return ()
    if not _could_fit(items, carton):
        return None
    for policy in POLICIES:
        placed = _place_all(items, carton, policy)
        if placed is not None:
            return tuple(placed)
    return None


def fits(items: Sequence[ItemBox], carton: Carton) -> bool:
    """True when every unit goes into the carton (and the weight limit holds)."""
    return placement(items, carton) is not None


def suggest(items: Sequence[ItemBox], cartons: Sequence[Carton]) -> Suggestion:
    """The carton for the items by the rule in the module's docstring, with the number of units
    whose size is unknown and the items' weight."""
    weight = sum(i.weight_g * i.qty for i in items)
    unknown = sum(max(0, i.qty) for i in items if not i.known_size)
    boxes = sorted(
        (c for c in cartons if not c.flexible),
        key=lambda c: (c.volume_mm3, c.max_weight_g or _NO_LIMIT, c.code),
    )
    for box in boxes:
        if fits(items, box):
            return Suggestion(box, unknown, weight)
    bags = sorted(
        (c for c in cartons if c.flexible and _weight_ok(weight, c)),
        key=lambda c: (c.max_weight_g or _NO_LIMIT, c.tare_g, c.code),
    )
    return Suggestion(bags[0] if bags else None, unknown, weight)


def suggest_carton(items: Sequence[ItemBox], cartons: Sequence[Carton]) -> Carton | None:
    """The smallest box the items fit into; a polybag when none does or there are only bags;
    None when nothing holds them (see ``suggest``)."""
    return suggest(items, cartons).carton

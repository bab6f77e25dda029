"""Where each demo order ends up, and the legal walk of the state machine that takes it there."""

from __future__ import annotations

import random
from itertools import pairwise

from app.domain.orders import OrderStatus, can_transition

S = OrderStatus

#: share of each final status among the orders (percent)
STATUS_MIX = {
    S.NEW: 6.0,
    S.ON_HOLD: 3.0,
    S.RELEASED: 5.0,
    S.ALLOCATED: 6.0,
    S.PICKING: 2.0,
    S.PICKED: 1.5,
    S.PACKING: 1.0,
    S.PACKED: 2.0,
    S.SHIPPED: 20.0,
    S.DELIVERED: 47.0,
    S.CANCELLED: 4.0,
    S.RETURNED: 2.5,
}
#: how far along each status is; older orders get the higher ranks (with some noise)
_PROGRESS = {
    S.NEW: 0.0, S.ON_HOLD: 0.3, S.RELEASED: 1.0, S.ALLOCATED: 2.0, S.PICKING: 3.0,
    S.PICKED: 3.5, S.PACKING: 4.0, S.PACKED: 4.5, S.CANCELLED: 5.0, S.SHIPPED: 7.0,
    S.DELIVERED: 12.0, S.RETURNED: 14.0,
}  # fmt: skip
#: minutes from the previous step to this one: (least, most)
GAP_MINUTES = {
    S.NEW: (1, 20), S.ON_HOLD: (0, 1), S.RELEASED: (2, 90), S.ALLOCATED: (1, 30),
    S.PICKING: (10, 180), S.PICKED: (5, 45), S.PACKING: (1, 60), S.PACKED: (2, 10),
    S.SHIPPED: (60, 600), S.DELIVERED: (1440, 5760), S.RETURNED: (4320, 17280),
    S.CANCELLED: (10, 1440),
}  # fmt: skip
_CHAIN = (S.ALLOCATED, S.PICKING, S.PICKED, S.PACKING, S.PACKED, S.SHIPPED, S.DELIVERED)
RESERVING = frozenset({S.ALLOCATED, S.PICKING})
CONSUMED = frozenset({S.PICKED, S.PACKING, S.PACKED, S.SHIPPED, S.DELIVERED, S.RETURNED})


def final_statuses(rng: random.Random, n: int) -> list[OrderStatus]:
    """The final status of each order, oldest first: the older, the further along."""
    names = list(STATUS_MIX)
    drawn = rng.choices(names, weights=list(STATUS_MIX.values()), k=n)
    keys = [_PROGRESS[s] + rng.random() * 4.0 for s in drawn]
    order = sorted(range(n), key=keys.__getitem__, reverse=True)
    return [drawn[i] for i in order]


def path_to(final: OrderStatus, rng: random.Random) -> list[OrderStatus]:
    """A legal walk of the state machine from new to ``final``."""
    if final is S.NEW:
        return [S.NEW]
    if final is S.ON_HOLD:
        return [S.NEW, S.ON_HOLD]
    if final is S.CANCELLED:
        return rng.choice(
            (
                [S.NEW, S.CANCELLED],
                [S.NEW, S.ON_HOLD, S.CANCELLED],
                [S.NEW, S.RELEASED, S.CANCELLED],
                [S.NEW, S.RELEASED, S.ALLOCATED, S.CANCELLED],
            )
        )
    base = [S.NEW, S.ON_HOLD, S.RELEASED] if rng.random() < 0.12 else [S.NEW, S.RELEASED]
    if final is S.RELEASED:
        return base
    if final is S.RETURNED:
        return [*base, *_CHAIN[: 6 if rng.random() < 0.3 else 7], S.RETURNED]
    return [*base, *_CHAIN[: _CHAIN.index(final) + 1]]


def is_legal(path: list[OrderStatus]) -> bool:
    return path[0] is S.NEW and all(can_transition(a, b) for a, b in pairwise(path))

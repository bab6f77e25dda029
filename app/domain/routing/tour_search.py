"""Tours over a distance matrix, where row and column 0 is the depot and 1..n the places.

- :func:`held_karp`: the exact shortest tour by dynamic programming over subsets (Held and Karp,
  1962); its time grows as 2^n n^2, so it is for small walks (and for checking the router).
- :func:`improve`: a local search: 2-opt (reverse a stretch) and Or-opt (move a run of one to
  three places elsewhere, either way round) until no move shortens the tour.
- :func:`nearest_neighbour`: a quick first tour.

Orders are lists of place indexes 1..n (the depot at both ends is implied).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

Matrix = Sequence[Sequence[float]]


def tour_length(d: Matrix, order: Sequence[int]) -> float:
    total, here = 0.0, 0
    for i in order:
        total += d[here][i]
        here = i
    return total + d[here][0]


def held_karp(d: Matrix) -> list[int]:
    """The exact shortest tour through places 1..n of ``d`` from 0 and back."""
    n = len(d) - 1
    if n <= 1:
        return list(range(1, n + 1))
    full = 1 << n
    inf = float("inf")
    # col[j][i]: from place i + 1 to place j + 1
    col = [[d[i + 1][j + 1] for i in range(n)] for j in range(n)]
    cost = [[inf] * n for _ in range(full)]
    for j in range(n):
        cost[1 << j][j] = d[0][j + 1]
    for mask in range(1, full):
        if mask & (mask - 1) == 0:
            continue
        row = cost[mask]
        members = [j for j in range(n) if mask >> j & 1]
        for j in members:
            prow, cj = cost[mask ^ (1 << j)], col[j]
            # prow[j] is infinite (j is not in the smaller set), so j never precedes itself
            row[j] = min([prow[i] + cj[i] for i in members])
    mask = full - 1
    j = min(range(n), key=lambda j: cost[mask][j] + d[j + 1][0])
    order = [j + 1]
    while mask & (mask - 1):
        prev = mask ^ (1 << j)
        target = cost[mask][j]
        j = min(
            (i for i in range(n) if prev >> i & 1),
            key=lambda i: abs(cost[prev][i] + col[j][i] - target),
        )
        mask = prev
        order.append(j + 1)
    order.reverse()
    return order


def nearest_neighbour(d: Matrix) -> list[int]:
    left = set(range(1, len(d)))
    order, here = [], 0
    while left:
        here = min(left, key=lambda i: (d[here][i], i))
        left.remove(here)
        order.append(here)
    return order


def _two_opt(d: Matrix, t: list[int]) -> bool:
    """One pass of first-improvement 2-opt over the closed tour ``t`` (depot first)."""
    n = len(t)
    improved = False
    for i in range(n - 2):
        a, b = t[i], t[i + 1]
        dab = d[a][b]
        for j in range(i + 2, n if i else n - 1):
            c, e = t[j], t[(j + 1) % n]
            delta = d[a][c] + d[b][e] - dab - d[c][e]
            if delta < -1e-9:
                t[i + 1 : j + 1] = t[i + 1 : j + 1][::-1]
                a, b = t[i], t[i + 1]
                dab = d[a][b]
                improved = True
    return improved


def _or_opt(d: Matrix, t: list[int]) -> bool:
    """One pass of Or-opt: move runs of 1 to 3 places (not the depot) elsewhere."""
    improved = False
    for size in (1, 2, 3):
        i = 1
        while i + size <= len(t):
            n = len(t)
            p, f, last, q = t[i - 1], t[i], t[i + size - 1], t[(i + size) % n]
            gain = d[p][f] + d[last][q] - d[p][q]
            run = t[i : i + size]
            rest = t[:i] + t[i + size :]
            best, where, flip = 1e-9, -1, False
            for k in range(len(rest)):
                u, v = rest[k], rest[(k + 1) % len(rest)]
                base = d[u][v]
                fwd = d[u][f] + d[last][v] - base
                rev = d[u][last] + d[f][v] - base
                if gain - fwd > best:
                    best, where, flip = gain - fwd, k, False
                if gain - rev > best:
                    best, where, flip = gain - rev, k, True
            if where >= 0:
                seg = run[::-1] if flip else run
                t[:] = rest[: where + 1] + seg + rest[where + 1 :]
                improved = True
            else:
                i += 1
    return improved


def improve(d: Matrix, order: Sequence[int], max_rounds: int = 50) -> list[int]:
    """``order`` made locally optimal under 2-opt and Or-opt moves."""
    t = [0, *order]
    for _ in range(max_rounds):
        a = _two_opt(d, t)
        b = _or_opt(d, t)
        if not (a or b):
            break
    k = t.index(0)
    t = t[k:] + t[:k]
    return t[1:]


def best_of_starts(
    d: Matrix, seeds: Sequence[Sequence[int]], random_starts: int = 0, rng_seed: int = 0
) -> list[int]:
    """The shortest of :func:`improve` run from each seed and from ``random_starts`` shuffles."""
    starts = [list(s) for s in seeds]
    rng = random.Random(rng_seed)
    for _ in range(random_starts):
        s = list(range(1, len(d)))
        rng.shuffle(s)
        starts.append(s)
    best: list[int] = []
    best_len = float("inf")
    for s in starts:
        t = improve(d, s)
        length = tour_length(d, t)
        if length < best_len - 1e-9:
            best, best_len = t, length
    return best

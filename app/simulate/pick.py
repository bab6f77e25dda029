"""``--pick``: the supervisor makes waves of the allocated orders and releases them; a picker at
each station presses Get work (the claim: two stations never get the same batch), walks the
batch's route scanning each location, each unit and the order's tote as the pick screen does,
and the batch's orders then go to the pack bench, opened by scanning the pick list's barcode
(``W000123-2``: the next picked order of that batch).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from app.bootstrap import Services
from app.domain.users import Actor
from app.services import pick_claim, picking, wave_plan, wave_release
from app.simulate.pace import Pace
from app.simulate.plan import SimulationFailed, Tally

T = TypeVar("T")
#: the pick screen's method for the shift: each order has its tote on the cart
METHOD = "cluster"


def make_waves(
    services: Services, admin: Actor, numbers: list[str], tally: Tally, max_orders: int = 0
) -> list[str]:
    """Waves of the allocated orders (at most ``max_orders`` each, 0: no limit), released to
    the pickers; their numbers."""
    t = time.perf_counter()
    waves = services.run(
        wave_plan.create_waves, admin, numbers=numbers, method=METHOD, max_orders=max_orders
    )
    tally.non_scan["shift:make_waves_button"] += 1
    for w in waves:
        services.run(wave_release.release_wave, admin, w.number)
        tally.non_scan["shift:release_wave_button"] += 1
    tally.app_s["waves"] += time.perf_counter() - t
    return [w.number for w in waves]


class Picker:
    """A picker with a cart: claims a batch and picks it by scans."""

    def __init__(
        self,
        services: Services,
        picker: Actor,
        barcodes: dict[str, str],
        locations: dict[str, str],
        tally: Tally,
        pace: Pace | None = None,
    ) -> None:
        self.services = services
        self.picker = picker
        self.barcodes = barcodes  #: sku -> the unit barcode
        self.locations = locations  #: location code -> the barcode on its label
        self.tally = tally
        self.pace = pace or Pace()

    def _app(self, step: str, fn: Callable[..., T], *args: Any) -> T:
        t = time.perf_counter()
        try:
            return self.services.run(fn, *args)
        finally:
            self.tally.app_s[step] += time.perf_counter() - t

    def claim(self) -> str | None:
        """Get work: the label of the batch in hand (``W000123-2``), picked; None when none is
        left or the shift ended while picking it."""
        self.pace.wait()
        t = time.perf_counter()
        claimed = self._app("pick_claim", pick_claim.get_work, self.picker)
        self.tally.claim_ms.append((time.perf_counter() - t) * 1000)
        self.tally.non_scan["batch:get_work_button"] += 1
        if claimed is None:
            return None
        self.tally.claims += 1
        self.tally.claimed_batches.append(claimed.batch_id)
        if not self._pick(claimed.batch_id, claimed.label):
            return None  # the shift ended: the batch stays claimed, picked so far
        return claimed.label

    def _scan(self, batch_id: int, text: str, label: str, step: str) -> picking.PickView:
        self.pace.wait()
        t, cpu = time.perf_counter(), time.thread_time()
        result = self.services.run(picking.pick_scan, self.picker, batch_id, text)
        spent = time.thread_time() - cpu  # read first: inside the wall interval
        took = time.perf_counter() - t
        self.tally.app_s["pick_scan"] += took
        self.tally.timed_scan("pick", took, step, spent)
        self.tally.pick_scans += 1
        self.tally.scans += 1
        if not result.accepted:
            raise SimulationFailed(
                what=f"picking {label}: the scan {text} was refused ({result.refusal})"
            )
        return result.view

    def _pick(self, batch_id: int, label: str) -> bool:
        """Pick the batch; False when the shift's deadline came first (between two tasks)."""
        view = self._app("pick_view", picking.pick_view, self.picker, batch_id)
        while not view.done:
            if self.pace.over():
                return False
            task = view.task
            if task is None:
                raise SimulationFailed(what=f"picking {label}: no task while not done")
            if task.sku not in self.barcodes:
                raise SimulationFailed(
                    what=f"picking {label}: the batch holds {task.sku}, in none of this shift's "
                    "orders (a timed run before left its waves open: run on an emptied database)"
                )
            view = self._scan(batch_id, self.locations[task.location], label, "location")
            for _ in range(task.qty - task.qty_picked):
                view = self._scan(batch_id, self.barcodes[task.sku], label, "item")
            view = self._scan(batch_id, task.tote, label, "put")
        self.tally.batches_picked += 1
        return True

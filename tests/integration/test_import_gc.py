"""While an import runs, the objects alive before it are left out of full garbage collections
(they were walked again at every one) and the youngest generation is collected less often; when
it ends, also when it fails or when two imports overlap, everything is as it was."""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.bootstrap import Services
from app.domain.users import Actor
from app.services import order_intake
from app.services.intake_batch import YOUNG_THRESHOLD, import_gc
from tests.data.make_samples import write_big_shopify


def test_an_import_runs_with_the_older_objects_frozen_and_puts_them_back_after(
    services: Services, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.csv"
    write_big_shopify(path, 300, skus=10)
    monkeypatch.setattr(order_intake, "BATCH_ORDERS", 100)
    frozen_before, thresholds_before = gc.get_freeze_count(), gc.get_threshold()
    during: list[tuple[int, int]] = []
    r = services.run(
        order_intake.import_file,
        admin,
        path,
        local=ZoneInfo("UTC"),
        progress=lambda _p: during.append((gc.get_freeze_count(), gc.get_threshold()[0])),
    )
    assert r.imported == 300
    assert len(during) == 3
    assert all(frozen > frozen_before and young == YOUNG_THRESHOLD for frozen, young in during)
    assert (gc.get_freeze_count(), gc.get_threshold()) == (frozen_before, thresholds_before)


def test_the_collector_is_as_it_was_when_the_last_of_two_overlapping_imports_ends() -> None:
    frozen_before, thresholds_before = gc.get_freeze_count(), gc.get_threshold()
    inside = threading.Event()
    release = threading.Event()

    def other_import() -> None:
        with import_gc():
            inside.set()
            release.wait(10)

    t = threading.Thread(target=other_import)
    with pytest.raises(RuntimeError), import_gc():
        t.start()
        assert inside.wait(10)
        raise RuntimeError("this import fails")
    # the other one still runs
    assert gc.get_freeze_count() > frozen_before
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    release.set()
    t.join(10)
    assert (gc.get_freeze_count(), gc.get_threshold()) == (frozen_before, thresholds_before)

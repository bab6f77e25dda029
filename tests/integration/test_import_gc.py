"""An import leaves the objects alive before it out of full garbage collections while it runs
(they were walked again at every one), and puts them back under collection when it ends, also
when it fails or two imports overlap."""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.bootstrap import Services
from app.domain.users import Actor
from app.services import order_intake
from app.services.intake_batch import older_objects_frozen
from tests.data.make_samples import write_big_shopify


def test_the_objects_alive_before_an_import_are_frozen_while_it_runs_and_released_after(
    services: Services, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.csv"
    write_big_shopify(path, 300, skus=10)
    monkeypatch.setattr(order_intake, "BATCH_ORDERS", 100)
    before = gc.get_freeze_count()
    frozen: list[int] = []
    r = services.run(
        order_intake.import_file,
        admin,
        path,
        local=ZoneInfo("UTC"),
        progress=lambda _p: frozen.append(gc.get_freeze_count()),
    )
    assert r.imported == 300
    assert len(frozen) == 3 and min(frozen) > before
    assert gc.get_freeze_count() == before


def test_the_heap_is_released_when_the_last_of_two_overlapping_imports_ends() -> None:
    before = gc.get_freeze_count()
    inside = threading.Event()
    release = threading.Event()

    def other_import() -> None:
        with older_objects_frozen():
            inside.set()
            release.wait(10)

    t = threading.Thread(target=other_import)
    with pytest.raises(RuntimeError), older_objects_frozen():
        t.start()
        assert inside.wait(10)
        raise RuntimeError("this import fails")
    assert gc.get_freeze_count() > before  # the other one still runs
    release.set()
    t.join(10)
    assert gc.get_freeze_count() == before

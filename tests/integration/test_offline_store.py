"""The station store (its own SQLite file): written with synchronous=FULL, its journal kept when
a newer Packdesk makes the copied tables again, and refusals named for what a station cannot do
while the shared database is away."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, insert, select, text

from app.db.models import Product
from app.domain.users import Actor, Role
from app.offline import store as st
from app.offline.actions import refusal_for
from app.offline.journal import actor_json, actor_of, journal, new_key, now
from app.services import handover_close, order_actions, pick_claim


def _entry() -> dict[str, object]:
    actor = Actor(3, "packer", Role.PACKER, 1, "pack-01")
    return {
        "key": new_key(),
        "action": "pack.scan",
        "args": {"args": [7, "5901234123457"], "kwargs": {}},
        "actor": actor_json(actor),
        "happened_at": now(),
        "status": "pending",
    }


def test_the_store_writes_with_synchronous_full_and_keeps_its_journal_when_the_copy_is_remade(
    tmp_path: Path,
) -> None:
    path = tmp_path / "station-pack-01.sqlite"
    engine = st.open_store(path)
    with engine.begin() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        conn.execute(insert(journal), [_entry()])
        conn.execute(insert(Product), [{"sku": "CUP-1", "name": "Cup"}])
        st.put_meta(conn, schema="an older Packdesk")
    engine.dispose()

    engine = st.open_store(path)  # a newer schema: the copy is made again, the journal stays
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(journal)) == 1
        assert conn.scalar(select(func.count()).select_from(Product)) == 0
        row = conn.execute(select(journal)).one()
    engine.dispose()
    assert actor_of(row.actor) == Actor(3, "packer", Role.PACKER, 1, "pack-01")
    assert row.happened_at.tzinfo is not None


def test_what_a_station_cannot_do_offline_is_refused_with_its_reason() -> None:
    assert "claiming new work must wait" in refusal_for(pick_claim.get_work).message
    assert "closing a handover must wait" in refusal_for(handover_close.close_handover).message
    assert "cancel must wait" in refusal_for(order_actions.cancel).message

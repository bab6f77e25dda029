"""An item scan at the pack station is a handful of statements (it was 17 on SQLite): the
session's whole state is read in three, the scan classified in one, its row written in one. A
regression (a lazy load, a re-read, a flush too many) shows here before it shows in the
benchmark."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from app.bootstrap import Services
from app.domain.users import Actor
from app.services import packing
from tests.pack_fixtures import pack_ready
from tests.pick_fixtures import BARCODES

#: users, head, body, parcels, classify, insert (+ BEGIN on SQLite; PRAGMA query_only only when
#: the connection last ran a read)
MOST = {"sqlite": 7, "postgresql": 6}


def test_an_item_scan_sends_at_most_seven_statements_and_its_answer_reads_nothing_again(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    sid = services.run(packing.open_for_packing, setup.packer, "TOTE-0001").session_id
    sent: list[str] = []

    def count(*args: Any) -> None:
        sent.append(str(args[2]))

    event.listen(services.engine, "before_cursor_execute", count)
    try:
        out = services.run(packing.scan, setup.packer, sid, BARCODES["CUP-1"])
    finally:
        event.remove(services.engine, "before_cursor_execute", count)
    assert out.ok and out.kind == "verified", (out.message, out.params)
    assert [ln.verified for ln in out.view.lines] == [1, 0]
    backend = services.engine.dialect.name
    assert len(sent) <= MOST[backend], "\n".join(s.split("\n")[0][:90] for s in sent)
    inserts = [s for s in sent if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1 and "pack_items" in inserts[0]

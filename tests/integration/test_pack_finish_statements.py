"""The weight that finishes an order is one unit of work of a few dozen statements: the rules,
the number, the parcel and order written, the stock moved, the label and slip queued as what
to draw (the print worker draws them after the commit). It was 61 on PostgreSQL, with both
drawn inside and the parcel's count, recipient and sender read for a pool carrier that reads
none of them. A regression (a re-read, a lazy load, a statement per unit) shows here before it
shows in the eight-station benchmark."""

from __future__ import annotations

from app.bootstrap import Services
from app.domain.users import Actor
from app.services import packing
from tests.integration.test_pick_scan_statements import first_lines, sent_by
from tests.pack_fixtures import pack_ready
from tests.pick_fixtures import BARCODES

#: the session and the weight history read, the rules, the service with its carrier (one
#: statement) and the pool's number, the parcel written three times (closed with its weight
#: and carton; labelled with its carrier, number and job; its slip job: it was six), the units
#: out of the tote into the dock (the reservations with their levels locked, places and SKUs
#: in one statement, was four; the dock's levels in one more), the jobs queued, the order
#: packed, the audit rows, and the view after (+ BEGIN and PRAGMAs on SQLite); the warehouse's
#: first parcel also makes its dock location (3 of them) and its dock levels (one statement
#: each, made and returned)
MOST = {"sqlite": 43, "postgresql": 40}


def test_the_weight_that_finishes_an_order_sends_a_few_dozen_statements_and_draws_nothing(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    sid = services.run(packing.open_for_packing, setup.packer, "TOTE-0002").session_id
    for _ in range(3):
        out = services.run(packing.scan, setup.packer, sid, BARCODES["PEN-1"])
    assert out.view.current_parcel is not None and out.view.current_parcel.expected_g
    done, sent = sent_by(
        services, packing.weigh, setup.packer, sid, out.view.current_parcel.expected_g
    )
    assert done.kind == "packed", (done.message, done.params)
    backend = services.engine.dialect.name
    assert len(sent) <= MOST[backend], f"{len(sent)}:\n{first_lines(sent)}"

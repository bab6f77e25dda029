"""The main queries keep their indexes: a guard against a change that would make one of them
read a whole big table at 1,000,000 orders (docs/big-data.md).

Each main query is run through its real service on an almost empty database while the SQL it
sends is recorded; every SELECT is then explained as if the tables were big:

- SQLite: ``sqlite_stat1`` is written as a million-order database's statistics would read and
  reloaded (``ANALYZE sqlite_schema``); ``EXPLAIN QUERY PLAN`` must not ``SCAN`` a big table
  without an index;
- PostgreSQL: ``enable_seqscan`` is off (the planner takes any index it can use), so a
  ``Seq Scan`` of a big table means no index can serve the query.

And each query's plan must name the index it is meant to use. Dropping that index (inside a
transaction that is rolled back) makes the check fail: the last tests prove it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, insert, select

from app.bootstrap import Services
from app.db.models import Base, Carrier, Cart, Channel, DeliveryException, Order, Parcel
from app.domain.errors import PackdeskError
from app.domain.users import Actor
from app.services import (
    dashboard,
    delivery_exceptions,
    handover_views,
    orders,
    pack_open,
    returns,
    wave_plan,
    wave_views,
)
from app.services.orders import OrderQuery

#: tables that grow with the orders
BIG = frozenset(
    {
        "orders", "order_lines", "addresses", "customers", "order_status_history",
        "order_holds", "order_external_refs", "parcels", "pack_items", "pack_sessions",
        "tracking_events", "stock_ledger", "reservations", "wave_orders",
        "delivery_exceptions", "returns", "return_lines", "audit_log",
    }
)  # fmt: skip
ROWS = 1_000_000
_PG_SEQ = re.compile(r"Seq Scan on (\w+)")
_ALIAS = re.compile(r"^(\w+?)_\d+$")


@dataclass(frozen=True)
class Probe:
    """A main query: the service call, and the index its plan must name (a pattern: the
    unique constraints have other names on SQLite)."""

    name: str
    call: Callable[[Services, Actor], object]
    index: str


def _list(q: OrderQuery) -> Callable[[Services, Actor], object]:
    return lambda svc, actor: svc.run(orders.list_orders, actor, q)


def _count(q: OrderQuery) -> Callable[[Services, Actor], object]:
    return lambda svc, actor: svc.run(orders.count_orders, actor, q)


def _refused_ok(fn: Callable[..., object], *args: Any) -> Callable[[Services, Actor], object]:
    """A station lookup of something that is not there: refused after its queries ran."""

    def call(svc: Services, actor: Actor) -> object:
        try:
            return svc.run(fn, actor, *args)
        except PackdeskError as exc:
            return exc

    return call


#: the unique index of orders.number: named by the constraint on PostgreSQL, by SQLite itself
_NUMBER = r"orders_number_key|uq_orders_number|sqlite_autoindex_orders_\d"

PROBES = (
    Probe("status filter", _list(OrderQuery(status="on_hold")), "ix_orders_status_id"),
    Probe("channel filter", _list(OrderQuery(channel_id=1)), "ix_orders_channel_id_id"),
    Probe("pickup filter", _list(OrderQuery(pickup=True)), "ix_orders_pickup_id"),
    Probe("pickup count", _count(OrderQuery(pickup=True)), "ix_orders_pickup_id"),
    Probe("hold reason filter", _list(OrderQuery(hold_code="address")), "ix_order_holds_open"),
    Probe("search by number", _list(OrderQuery(search="PD0001")), _NUMBER),
    Probe("search by channel id", _count(OrderQuery(search="4711")), "ix_orders_external_id"),
    Probe(
        "search by merged channel id",
        _count(OrderQuery(search="4711")),
        "ix_order_external_refs_external",
    ),
    Probe(
        "search by tracking number",
        _list(OrderQuery(search="SF1234567890")),
        "ix_parcels_tracking_number",
    ),
    Probe("search by name", _count(OrderQuery(search="张伟")), "ix_addresses_name_lower"),
    Probe("search by phone", _count(OrderQuery(search="13812345678")), "ix_addresses_phone_digits"),
    Probe(
        "pack open by order number",
        _refused_ok(pack_open.open_for_packing, "pd0001"),
        _NUMBER,
    ),
    Probe(
        "pack open by tote",
        _refused_ok(pack_open.open_for_packing, "tote-0001"),
        "ix_wave_orders_tote_upper",
    ),
    Probe(
        "returns by tracking number",
        _refused_ok(returns.open_return, "SF1234567890"),
        "ix_parcels_tracking_number",
    ),
    Probe(
        "returns by order number: units that came back",
        _refused_ok(returns.open_return, "PD00010001"),
        "ix_return_lines_pack_item_id",
    ),
    Probe(
        "waves: allocated orders waiting",
        lambda svc, actor: svc.run(wave_views.waiting_orders, actor),
        "ix_orders_status_priority_placed",
    ),
    Probe(
        "waves: units of the waiting orders",
        lambda svc, actor: svc.run(wave_views.waiting_orders, actor),
        "ix_order_lines_order",
    ),
    Probe(
        "waves: planning's candidates",
        lambda svc, actor: _plan_waves(svc, actor),
        "ix_orders_status_priority_placed",
    ),
    Probe(
        "waves: planning's reservations of the candidates",
        lambda svc, actor: _plan_waves(svc, actor),
        "ix_reservations_order_line_id",
    ),
    Probe(
        "handover missing list",
        lambda svc, actor: svc.run(handover_views.reconcile, actor, 1, date(2026, 12, 1)),
        "ix_parcels_carrier_status_labelled",
    ),
    Probe(
        "dashboard scans per hour",
        lambda svc, actor: svc.run(dashboard.dashboard, actor),
        "ix_audit_log_action_at",
    ),
    Probe(
        "dashboard orders now",
        lambda svc, actor: svc.run(dashboard.dashboard, actor),
        "ix_orders_status_",
    ),
    Probe(
        "dashboard status changes today",
        lambda svc, actor: svc.run(dashboard.dashboard, actor),
        "ix_order_status_history_at",
    ),
    Probe(
        "dashboard cut-offs: parcels not handed over",
        lambda svc, actor: svc.run(dashboard.dashboard, actor),
        "ix_parcels_status_carrier",
    ),
    Probe(
        "delivery exceptions queue",
        lambda svc, actor: svc.run(delivery_exceptions.list_exceptions, actor),
        "ix_delivery_exceptions_status_since",
    ),
    Probe(
        "delivery exceptions: the parcels' last events",
        lambda svc, actor: svc.run(delivery_exceptions.list_exceptions, actor),
        # by parcel: this index or the unique key (parcel, time, words), which leads the same
        r"ix_tracking_events_parcel_at|tracking_events_parcel_id|sqlite_autoindex_tracking_events_\d",
    ),
)


def _plan_waves(services: Services, actor: Actor) -> object:
    """Wave planning in waves of 200 (the allocated orders in no live wave are read, with their
    reservations); a cart first, or planning stops before reading them."""
    with services.engine.begin() as conn:
        if conn.scalar(select(Cart.id).limit(1)) is None:
            conn.execute(insert(Cart).values(code="C12", tote_slots=12))
    return services.run(wave_plan.create_waves, actor, max_orders=200)


def _table(name: str) -> str:
    m = _ALIAS.match(name)
    return m.group(1) if m and m.group(1) in BIG else name


def record(services: Services, call: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SELECT statements ``call`` sends, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def listen(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, many: bool) -> None:
        if not many and sql.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((sql, params))

    event.listen(services.engine, "before_cursor_execute", listen)
    try:
        call()
    finally:
        event.remove(services.engine, "before_cursor_execute", listen)
    assert seen, "the service sent no query"
    return seen


def _sqlite_stats(cur: Any) -> None:
    """Statistics of a million-order database: each big table 1,000,000 rows, 10 rows per
    value of an index's first column and 1 per full key; the small tables as they are."""
    cur.execute("PRAGMA query_only = OFF")
    cur.execute("ANALYZE")
    cur.execute("DELETE FROM sqlite_stat1")
    for table in BIG:
        cur.execute("INSERT INTO sqlite_stat1 VALUES (?, NULL, ?)", (table, str(ROWS)))
        indexes = cur.execute(f"PRAGMA index_list({table})").fetchall()
        for _seq, name, unique, _origin, _partial in indexes:
            width = len(cur.execute(f"PRAGMA index_info({name})").fetchall())
            stat = [ROWS] + [1 if unique else 10] * (width - 1) + [1]
            cur.execute(
                "INSERT INTO sqlite_stat1 VALUES (?, ?, ?)",
                (table, name, " ".join(map(str, stat[: width + 1]))),
            )
    cur.execute("ANALYZE sqlite_schema")


@contextmanager
def planner(services: Services, drop: str = "") -> Iterator[Callable[[str, Any], list[str]]]:
    """``explain(sql, params)`` -> plan lines, with the tables made to look big and the index
    ``drop`` dropped; everything is undone afterwards (rolled back, or the test's own file)."""
    raw = services.engine.raw_connection()
    try:
        cur = raw.cursor()
        if services.shared:
            raw.driver_connection.read_only = False  # type: ignore[union-attr]
            cur.execute("SET LOCAL enable_seqscan = off")
            if drop:
                cur.execute(f"DROP INDEX {drop}")
        else:
            _sqlite_stats(cur)
            if drop:
                cur.execute(f"DROP INDEX {drop}")

        def explain(sql: str, params: Any) -> list[str]:
            if services.shared:
                cur.execute("EXPLAIN " + sql, params)
                return [str(r[0]) for r in cur.fetchall()]
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [str(r[3]) for r in cur.fetchall()]

        yield explain
        cur.close()
    finally:
        raw.rollback()
        raw.close()


def full_scans(plan: list[str], shared: bool) -> set[str]:
    """The big tables the plan reads whole (an index scanned whole does not count)."""
    if shared:
        found = {m.group(1) for line in plan for m in _PG_SEQ.finditer(line)}
    else:  # "SCAN orders", "SCAN orders AS o"; not "SCAN orders USING INDEX ..."
        words = (line.split() for line in plan)
        found = {w[1] for w in words if len(w) > 1 and w[0] == "SCAN" and "USING" not in w}
    return {_table(t) for t in found} & BIG


def check(services: Services, actor: Actor, probe: Probe, drop: str = "") -> list[str]:
    """What is wrong with the probe's plans: big tables read whole, the index not used."""
    statements = record(services, lambda: probe.call(services, actor))
    problems: list[str] = []
    named = False
    with planner(services, drop) as explain:
        for sql, params in statements:
            plan = explain(sql, params)
            named = named or any(re.search(probe.index, line) for line in plan)
            scans = full_scans(plan, services.shared)
            if scans:
                problems.append(f"{probe.name}: reads all of {sorted(scans)}: {plan}")
    if not named:
        problems.append(f"{probe.name}: no plan uses {probe.index}")
    return problems


def _one_order(services: Services) -> None:
    """A shipped order with its parcel (silent: an open delivery exception), and a carrier:
    lookups find something to go on with."""
    with services.engine.begin() as conn:
        cid = conn.execute(insert(Channel).values(code="shop", name="Shop")).inserted_primary_key
        conn.execute(insert(Carrier).values(code="SF", name="SF Express"))
        oid = conn.execute(
            insert(Order).values(
                number="PD00010001",
                channel_id=cid[0],
                external_id="4711",
                status="shipped",
                placed_at=datetime(2026, 12, 1, tzinfo=UTC),
            )
        ).inserted_primary_key
        pid = conn.execute(
            insert(Parcel).values(order_id=oid[0], status="shipped", tracking_number="SF0001")
        ).inserted_primary_key
        conn.execute(
            insert(DeliveryException).values(
                parcel_id=pid[0],
                order_id=oid[0],
                kind="no_scan",
                since=datetime(2026, 12, 2, tzinfo=UTC),
            )
        )


@pytest.mark.parametrize("probe", PROBES, ids=[p.name for p in PROBES])
def test_a_main_query_uses_its_index_and_reads_no_big_table_whole(
    services: Services, admin: Actor, probe: Probe
) -> None:
    _one_order(services)
    problems = check(services, admin, probe)
    if services.shared:
        # PostgreSQL plans tiny tables by their real statistics (which autovacuum changes during
        # a run): with sequential scans off it may take another index (the primary key) for the
        # same query. The index's name is held on SQLite, where the statistics are forced; here
        # no big table may be read whole.
        problems = [p for p in problems if ": no plan uses " not in p]
    assert problems == []


def test_the_guard_fails_when_the_orders_search_loses_the_tracking_number_index(
    services: Services, admin: Actor
) -> None:
    probe = next(p for p in PROBES if p.name == "search by tracking number")
    problems = check(services, admin, probe, drop="ix_parcels_tracking_number")
    assert any("no plan uses ix_parcels_tracking_number" in p for p in problems), problems
    if not services.shared:  # PostgreSQL reads the whole carrier + number index instead
        assert any("reads all of ['parcels']" in p for p in problems), problems


def test_the_guard_fails_when_the_status_filter_loses_its_index(
    services: Services, admin: Actor
) -> None:
    probe = next(p for p in PROBES if p.name == "status filter")
    problems = check(services, admin, probe, drop="ix_orders_status_id")
    assert any("no plan uses ix_orders_status_id" in p for p in problems), problems


def test_every_table_the_guard_calls_big_exists() -> None:
    assert BIG.issubset(Base.metadata.tables)


def test_the_guard_fails_when_the_waiting_orders_lose_their_index(
    services: Services, admin: Actor
) -> None:
    probe = next(p for p in PROBES if p.name == "waves: allocated orders waiting")
    problems = check(services, admin, probe, drop="ix_orders_status_priority_placed")
    assert any("no plan uses ix_orders_status_priority_placed" in p for p in problems), problems


def test_the_guard_fails_when_the_delivery_exceptions_lose_their_index(
    services: Services, admin: Actor
) -> None:
    probe = next(p for p in PROBES if p.name == "delivery exceptions queue")
    problems = check(services, admin, probe, drop="ix_delivery_exceptions_status_since")
    assert any("no plan uses ix_delivery_exceptions_status_since" in p for p in problems), problems


def test_the_guard_fails_when_wave_planning_loses_the_reservations_index(
    services: Services, admin: Actor
) -> None:
    probe = next(p for p in PROBES if p.name == "waves: planning's reservations of the candidates")
    problems = check(services, admin, probe, drop="ix_reservations_order_line_id")
    assert any("no plan uses ix_reservations_order_line_id" in p for p in problems), problems
    if not services.shared:  # PostgreSQL reads another reservations index whole instead
        assert any("reads all of ['reservations']" in p for p in problems), problems

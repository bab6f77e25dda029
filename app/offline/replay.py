"""Replaying the offline journal on the shared database, in order, each action once.

Each pending entry runs its service again on the shared database in one transaction that also
holds its idempotency key (``applied_actions``), the answer it got, and -- when the answer is
not the one the station got offline -- the conflict for the supervisor
(``sync_conflicts.record_conflict``): the service's own commit is held back
(``ReplayUnitOfWork``) until all of that is in the same transaction. A replay that finds the
key (a commit whose answer was lost, a station that stopped between the server's commit and
its own note) skips the action and takes the stored answer. A refusal never overwrites
anything: the entry becomes a conflict, and so does every later entry of the same order;
other orders go on. A lost connection stops the replay where it is; the next one resumes."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from app.db.models import AppliedAction, PackSession, PrintJob
from app.db.uow import UnitOfWork
from app.domain.errors import DatabaseError, PackdeskError
from app.offline import store as st
from app.offline.actions import ACTIONS, summary
from app.offline.conflicts import record_conflict
from app.offline.journal import APPLIED, CONFLICT, PENDING, Entry, actor_of, ids, journal, now
from app.services.offline_keys import KEEP_DAYS
from app.services.sync_conflicts import error_values, fill
from app.services.tracking_pool import KEEP_NUMBERS

if TYPE_CHECKING:
    from app.offline.station import OfflineStation

#: conflict messages and notes kept in the database as templates (translated on screen)
OFFLINE_MESSAGES = {
    "different": (
        "Order {order}: {action} was accepted on station {station} at {at} while the shared "
        "database was away, but the shared database answered differently ({answer}). Check "
        "the order and its parcels."
    ),
    "after": (
        "Order {order}: {action} done on station {station} at {at} was not applied, because "
        "an earlier action on the same order is a conflict. Settle that one first."
    ),
    "too_old": (
        "Order {order}: {action} done on station {station} on {date} at {at} waited more than "
        "{days} days to reach the shared database, which remembers the actions it applied for "
        "{days} days only. It was not applied: check the order by hand."
    ),
    "printed": "printed while the shared database was away",
    # the short reasons the supervisor's list shows (the value ``reason``: translated there)
    "kept_too_long": "kept offline for more than {days} days",
    "session_not_applied": "the pack session it belongs to was not applied",
}
DIFFERENT, AFTER = OFFLINE_MESSAGES["different"], OFFLINE_MESSAGES["after"]
TOO_OLD = OFFLINE_MESSAGES["too_old"]


@dataclass(frozen=True)
class ReplayReport:
    applied: int = 0
    skipped: int = 0
    conflicts: int = 0
    waiting: int = 0


class AlreadyApplied(Exception):
    """Another replay of the same journal (the command line while the app runs) applied the
    key first: this one's transaction was refused whole."""


class ReplayUnitOfWork(UnitOfWork):
    """The service's ``commit`` only flushes: the replayer adds the key (and a conflict) and
    commits itself (``finish``), so all of it is one transaction."""

    def __init__(self, factory: sessionmaker[Session], where: str, keep: dict[int, list[str]]):
        super().__init__(factory, where)
        self._keep = keep
        self.held = False
        self.jobs_from = 0

    def __enter__(self) -> UnitOfWork:
        entered = super().__enter__()
        self.session.info[KEEP_NUMBERS] = self._keep
        #: print jobs above this id are the ones this replay made (``_printed_offline``)
        self.jobs_from = int(self.session.scalar(select(func.max(PrintJob.id))) or 0)
        return entered

    def commit(self) -> None:
        self.session.flush()
        self.held = True
        self.commits += 1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None and self.held:
            return  # kept open for ``finish``
        super().__exit__(exc_type, exc, tb)

    def finish(self) -> None:
        try:
            self.session.commit()
        except sa_exc.IntegrityError as exc:
            self.session.close()
            raise AlreadyApplied from exc
        except sa_exc.DBAPIError as exc:
            self.session.close()
            raise self._translated(exc) or exc from exc
        self.session.close()

    def abandon(self) -> None:
        with contextlib.suppress(sa_exc.DBAPIError):
            self.session.rollback()
        self.session.close()


def replay(station: OfflineStation) -> ReplayReport:
    """Replay every pending entry; stops (raising ``DatabaseUnavailable``) if the connection
    is lost again."""
    applied = skipped = conflicts = 0
    with station.engine.connect() as conn:
        bad_orders = set(
            conn.scalars(select(journal.c.order_number).where(journal.c.status == CONFLICT))
        )
        rows = conn.execute(
            select(journal).where(journal.c.status == PENDING).order_by(journal.c.seq)
        ).all()
    for row in rows:
        entry = _entry(row)
        order = entry.order_number or _order_of(station, entry)
        if order in bad_orders:
            _conflict(station, entry, order, AFTER, {}, status=CONFLICT)
            conflicts += 1
            continue
        outcome = _apply(station, entry, order)
        if outcome == CONFLICT:
            bad_orders.add(order)
            conflicts += 1
        elif outcome == "skipped":
            skipped += 1
        else:
            applied += 1
    with station.engine.connect() as conn:
        waiting = len(conn.execute(select(journal.c.seq).where(journal.c.status == PENDING)).all())
    return ReplayReport(applied, skipped, conflicts, waiting)


def _entry(row: Any) -> Entry:
    return Entry(
        row.seq,
        row.key,
        row.action,
        list(row.args.get("args", [])),
        row.actor,
        row.order_number,
        row.happened_at,
        row.status,
        dict(row.result or {}),
    )


def _kwargs(station: OfflineStation, entry: Entry) -> dict[str, Any]:
    with station.engine.connect() as conn:
        args = conn.scalar(select(journal.c.args).where(journal.c.key == entry.key))
    return dict(args.get("kwargs", {})) if isinstance(args, dict) else {}


def _order_of(station: OfflineStation, entry: Entry) -> str:
    """The order of an entry whose answer was not noted (the station stopped just then)."""
    action = ACTIONS[entry.action]
    if action.session_arg is not None and len(entry.args) > action.session_arg:
        with station.factory() as s:
            ps = s.get(PackSession, entry.args[action.session_arg])
            if ps is not None:
                from app.db.models import Order

                order = s.get(Order, ps.order_id)
                if order is not None:
                    return order.number
    return f"#{entry.seq}"


def _apply(station: OfflineStation, entry: Entry, order: str) -> str:
    known = _known(station, entry)
    if known is None and _too_old(station, entry):
        reason = _reason(OFFLINE_MESSAGES["kept_too_long"], {"days": KEEP_DAYS})
        return _conflict(
            station,
            entry,
            order,
            TOO_OLD,
            {"days": KEEP_DAYS, "date": f"{entry.happened_at:%Y-%m-%d}", "reason": reason},
        )
    if known is None:
        try:
            return _run(station, entry, order)
        except AlreadyApplied:
            known = _known(station, entry)
            if known is None:
                raise
    # applied before: a lost answer, a stop before the note, or another replay
    status = CONFLICT if known.get("conflict") else APPLIED
    _note(station, entry, status, known)
    return CONFLICT if status == CONFLICT else "skipped"


def _too_old(station: OfflineStation, entry: Entry) -> bool:
    """The entry waited so long that its key may have been pruned already (a day's margin):
    whether it was applied can no longer be told (``app.services.offline_keys``)."""
    happened = entry.happened_at
    if happened.tzinfo is None:
        happened = happened.replace(tzinfo=UTC)
    return station.clock() - happened > timedelta(days=KEEP_DAYS - 1)


def _known(station: OfflineStation, entry: Entry) -> dict[str, Any] | None:
    with station.services.session_factory() as s:
        found = s.get(AppliedAction, entry.key)
        return dict(found.result or {}) if found is not None else None


def _run(station: OfflineStation, entry: Entry, order: str) -> str:
    svc = station.services
    server = svc.session_factory
    action = ACTIONS[entry.action]
    args = _server_args(station, entry, action.session_arg)
    if args is None:
        reason = _reason(OFFLINE_MESSAGES["session_not_applied"], {})
        return _conflict(station, entry, order, AFTER, {"reason": reason})
    if entry.action == "pack.open" and entry.result.get("order"):
        args = [entry.result["order"], *args[1:]]  # the order opened, whatever its tote is now
    keep: dict[int, list[str]] = {}
    for carrier_id, number in entry.result.get("numbers", []):
        keep.setdefault(int(carrier_id), []).append(str(number))
    uow = ReplayUnitOfWork(server, svc.database_label, keep)
    actor = actor_of(entry.actor)
    try:
        result = action.fn(uow, actor, *args, **_kwargs(station, entry))
    except DatabaseError:
        raise
    except PackdeskError as exc:
        # the shared database's own refusal, as it says it (translated on the screen)
        reason = error_values(exc)
        return _conflict(station, entry, order, exc.template, exc.params | {"reason": reason})
    answer = summary(result)
    if not uow.held:  # nothing written: the answer alone says whether it went the same way
        uow.session = server()
    try:
        s = uow.session
        differs = bool(entry.result) and (
            answer["ok"] != entry.result.get("ok") or answer["kind"] != entry.result.get("kind")
        )
        payload = answer | {"conflict": differs}
        if differs:
            _record(s, station, entry, order, DIFFERENT, {"answer": answer["kind"]})
        s.flush()  # the action's own writes: an error there is the action's
        s.add(
            AppliedAction(
                key=entry.key, station_id=svc.station_id, action=entry.action, result=payload
            )
        )
        try:  # another replay of this journal wrote the key first: it applied the action
            s.flush()
        except sa_exc.IntegrityError as exc:
            raise AlreadyApplied from exc
        _printed_offline(station, s, uow.jobs_from)
        uow.held = True
        uow.finish()
    except BaseException:
        uow.abandon()
        raise
    _note(station, entry, CONFLICT if differs else APPLIED, payload)
    return CONFLICT if differs else APPLIED


def _server_args(station: OfflineStation, entry: Entry, pos: int | None) -> list[Any] | None:
    args = list(entry.args)
    if pos is None or len(args) <= pos or int(args[pos]) < st.LOCAL_ID_BASE:
        return args
    with station.engine.connect() as conn:
        server_id = conn.scalar(
            select(ids.c.server_session_id).where(ids.c.local_session_id == int(args[pos]))
        )
    if server_id is None:
        return None
    args[pos] = int(server_id)
    return args


def _record(
    s: Session,
    station: OfflineStation,
    entry: Entry,
    order: str,
    template: str,
    values: dict[str, Any],
) -> None:
    filled = {
        "order": order,
        "action": entry.action,
        "station": station.services.station_code,
        "at": entry.happened_at.strftime("%H:%M:%S"),
        **values,
    }
    record_conflict(
        s,
        station_id=station.services.station_id,
        key=entry.key,
        action=entry.action,
        order_number=order if not order.startswith("#") else None,
        message=template,
        values=filled,
        happened_at=entry.happened_at,
        payload={"args": entry.args, "actor": entry.actor, "local": entry.result},
    )


def _reason(template: str, values: dict[str, Any]) -> dict[str, Any]:
    """A short reason as the conflict keeps it: its template and values, so the supervisor's
    list shows it in the screen's language (``app.services.sync_conflicts.error_values``)."""
    return {"template": template, "values": values}


def _english(reason: Any) -> str:
    """A reason as text for the station's own journal and the key's record (logs, support)."""
    if isinstance(reason, dict) and isinstance(reason.get("template"), str):
        return fill(reason["template"], reason.get("values") or {})
    return str(reason or "")


def _conflict(
    station: OfflineStation,
    entry: Entry,
    order: str,
    template: str,
    values: dict[str, Any],
    *,
    status: str = CONFLICT,
) -> str:
    """A conflict for the supervisor and the key, in one transaction on the shared database."""
    svc = station.services
    with svc.session_factory() as s:
        try:
            _record(s, station, entry, order, template, values)
            payload = {"conflict": True, "reason": _english(values.get("reason", ""))}
            s.add(
                AppliedAction(
                    key=entry.key, station_id=svc.station_id, action=entry.action, result=payload
                )
            )
            s.commit()
        except sa_exc.IntegrityError as exc:
            raise AlreadyApplied from exc
        except sa_exc.DBAPIError as exc:
            raise UnitOfWork(lambda: s, svc.database_label)._translated(exc) or exc from exc
    _note(station, entry, status, payload)
    return CONFLICT


def _note(station: OfflineStation, entry: Entry, status: str, answer: dict[str, Any]) -> None:
    """The entry's outcome in the journal, and a session opened offline -> its server id."""
    local_sid = entry.result.get("session_id")
    server_sid = answer.get("session_id")
    if answer.get("sessions") and server_sid is None and len(answer["sessions"]) == 1:
        server_sid = answer["sessions"][0]
    with station.engine.begin() as conn:
        conn.execute(
            update(journal)
            .where(journal.c.key == entry.key)
            .values(
                status=status,
                server_result=answer,
                error=str(answer.get("reason", "")),
                applied_at=now(),
            )
        )
        if isinstance(local_sid, int) and local_sid >= st.LOCAL_ID_BASE and status == APPLIED:
            stmt = sqlite_insert(ids).values(
                local_session_id=local_sid, server_session_id=server_sid
            )
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["local_session_id"], set_={"server_session_id": server_sid}
                )
            )


def _printed_offline(station: OfflineStation, s: Session, jobs_from: int) -> None:
    """Labels and slips the station printed offline are not printed a second time: the jobs
    the replay made for them are marked sent."""
    made = s.scalars(
        select(PrintJob).where(
            PrintJob.id > jobs_from,
            PrintJob.status == "queued",
            PrintJob.station_id == station.services.station_id,
        )
    ).all()
    if not made:
        return
    with station.factory() as local:
        printed = {
            (kind, ref)
            for kind, ref in local.execute(
                select(PrintJob.kind, PrintJob.reference).where(PrintJob.status == "sent")
            )
        }
    for job in made:
        if (job.kind, job.reference) in printed:
            job.status, job.sent_at, job.updated_at = "sent", now(), now()
            job.error = OFFLINE_MESSAGES["printed"]

"""The weight gate: a stable weight for the current parcel, and a supervisor's override.

The expected weight is the items (catalogue weights) plus the carton's tare, within the
settings' tolerance; ``package_types.expectation_for`` also learns from earlier parcels of the
same contents and carton. A weight inside it, with every unit verified, finishes the order (no
click). A weight outside stops the parcel: no label, a ``weight`` exception with both weights
on the exceptions list, and the station waits for a supervisor's badge (or a repack and a new
weight). The scale is read by the screen, which passes stable weights; a typed weight needs the
setting ``allow_typed_weight`` and is audited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.db.models import PackException, User, utcnow
from app.db.uow import UnitOfWork
from app.domain import packing as rules
from app.domain.users import ROLE_PERMISSIONS, Actor, Permission, Role
from app.domain.weight_check import judge
from app.services import pack_finish, pack_state
from app.services.access import step, writes
from app.services.pack_dto import ScanOutcome, WeightVerdict
from app.services.pack_scan import answer
from app.services.pack_state import OPEN, State


def _verdict_of(v: Any) -> WeightVerdict:
    e = v.expected
    return WeightVerdict(
        v.ok, e.expected_g, e.low_g, e.high_g, v.actual_g, v.direction, e.history_n
    )


@writes(Permission.PACK)
def weigh(
    uow: UnitOfWork, actor: Actor, session_id: int, weight_g: int, source: str = "scale"
) -> ScanOutcome:
    """A stable weight for the current parcel (``source`` scale, or typed when the setting
    allows it: audited). Inside the expectation with every unit verified: the order finishes
    (number, label, slip, packed). Outside: the parcel is stopped (no label, a weight exception,
    ``next_step`` override)."""
    with uow:
        actor = uow.require(actor, Permission.PACK)
        s = uow.session
        st = pack_state.load(s, session_id)
        if st.ps.status != OPEN:
            return answer(s, st, False, "refused", "not_open", {}, refusal="not_open")
        if source == "typed" and not st.settings.allow_typed_weight:
            return answer(s, st, False, "refused", "typed_not_allowed", {}, refusal="typed")
        if weight_g <= 0:
            return answer(
                s, st, False, "refused", "bad_weight", {"actual": weight_g}, refusal="bad_weight"
            )
        cur = st.current
        if cur is None or not st.in_parcel(cur.id):
            if cur is None and st.all_verified:
                return _retry(uow, actor, st)
            return answer(
                s,
                st,
                False,
                "refused",
                "weighed_early",
                {"seq": cur.seq if cur else 0},
                refusal="no_items",
            )
        pack_state.use_suggested(s, st, cur)
        key, exp = pack_state.weight_expected(s, st, cur)
        verdict = judge(exp, weight_g)
        wv = _verdict_of(verdict)
        cur.weight_g, cur.expected_g, cur.weight_source = weight_g, exp.expected_g, source
        cur.contents_key = key
        params = {
            "actual": weight_g,
            "expected": exp.expected_g,
            "low": exp.low_g,
            "high": exp.high_g,
            "history_n": exp.history_n,
            "seq": cur.seq,
        }
        if source == "typed":
            uow.audit(actor, "pack.typed_weight", "parcel", cur.id, None, params)
        old = st.stopped.pop(cur.id, None)
        if old is not None:
            old.resolved_at, old.resolved_by, old.resolution = utcnow(), actor.user_id, "repacked"
        if not verdict.ok:
            return _stop(uow, actor, st, cur, params, wv)
        if st.all_verified:
            done = pack_finish.finish(uow, actor, st)
            out = pack_finish.outcome_of(s, st, done, weight_verdict=wv)
            uow.commit()
            return out
        out = answer(s, st, True, "weighed", "weighed", params, weight_verdict=wv)
        uow.commit()
        return out


def _stop(
    uow: UnitOfWork, actor: Actor, st: State, cur: Any, params: dict[str, Any], wv: WeightVerdict
) -> ScanOutcome:
    s = uow.session
    exc = PackException(
        kind="weight",
        order_id=st.order.id,
        parcel_id=cur.id,
        session_id=st.ps.id,
        station_id=actor.station_id,
        user_id=actor.user_id,
        expected_g=params["expected"],
        actual_g=params["actual"],
        message=rules.PACK_MESSAGES["weight_stopped"],
        params=params,
    )
    s.add(exc)
    s.flush()
    st.stopped[cur.id] = exc
    out = answer(
        s,
        st,
        False,
        "weight_stopped",
        "weight_stopped",
        params,
        refusal="weight",
        weight_verdict=wv,
    )
    uow.commit()
    return out


def _retry(uow: UnitOfWork, actor: Actor, st: State) -> ScanOutcome:
    """Every parcel is closed but one still waits for its label: try it again."""
    s = uow.session
    done = pack_finish.finish(uow, actor, st)
    out = pack_finish.outcome_of(s, st, done)
    uow.commit()
    return out


@writes(Permission.PACK)
def override_weight(uow: UnitOfWork, actor: Actor, session_id: int, badge: str) -> ScanOutcome:
    """A supervisor's badge accepts the stopped parcel's weight (the badge's user must be
    active and have OVERRIDE_WEIGHT); audited with both users; then the order finishes when
    everything is verified."""
    with uow:
        actor = uow.require(actor, Permission.PACK)
        s = uow.session
        st = pack_state.load(s, session_id)
        return override_in(uow, actor, st, badge)


@step
def override_in(uow: UnitOfWork, actor: Actor, st: State, badge: str) -> ScanOutcome:
    """``override_weight`` inside the caller's unit of work (a badge scanned at the station)."""
    s = uow.session
    cur = st.current
    exc = st.stopped.get(cur.id) if cur else None
    if cur is None or exc is None:
        return answer(s, st, False, "refused", "nothing_to_override", {}, refusal="no_weight")
    code = badge.strip()
    user = s.scalar(select(User).where(User.badge_code == code))
    if user is None:
        return answer(s, st, False, "refused", "badge_unknown", {"badge": code}, refusal="badge")
    if not user.active:
        return answer(
            s, st, False, "refused", "badge_disabled", {"user": user.username}, refusal="badge"
        )
    if Permission.OVERRIDE_WEIGHT not in ROLE_PERMISSIONS[Role(user.role)]:
        return answer(
            s,
            st,
            False,
            "refused",
            "badge_lacks",
            {"user": user.username, "role": user.role},
            refusal="badge",
        )
    exc.resolved_at, exc.resolved_by, exc.resolution = utcnow(), user.id, "override"
    del st.stopped[cur.id]
    cur.weight_source = "override"
    uow.audit(
        actor,
        "pack.weight_override",
        "parcel",
        cur.id,
        {"expected_g": exc.expected_g, "actual_g": exc.actual_g},
        {"accepted_by": user.username, "packer": actor.username, "order": st.order.number},
    )
    info = {"actual": exc.actual_g, "supervisor": user.username}
    if st.all_verified:
        done = pack_finish.finish(uow, actor, st)
        out = pack_finish.outcome_of(s, st, done)
        uow.commit()
        return out
    out = answer(s, st, True, "overridden", "overridden", info)
    uow.commit()
    return out

"""The pick scan sequence as a state machine, without a database.

For the task in hand the picker scans the location, then the product (with its lot, or each
serial), then the quantity (each unit, or ``PD-CMD-QTY-n``), then the tote. :func:`accept` takes
the task's state and one scan (already classified and reduced to a :class:`PickInput`) and
decides: accepted or refused, the sentence for the picker (an English template and its values,
translated by the screen), the new state and what the service must do (put the units in hand
into the tote, move the reservation to another lot, skip the task, record a short pick).

The state is what ``pick_tasks`` keeps (``step``, ``held_qty``, ``held_lot_id``, ``serials``),
so feeding the same scans to the same task always gives the same outcomes: a crash, a log-out
or another station resumes exactly.

Rules:

- Units in hand are one lot and never more than the task still needs ("too many").
- A lot other than the allocated one is taken only when the allocation rules allow it: free
  stock of that lot at this location covers what is still to pick and it expires after the
  minimum remaining shelf life (:func:`app.domain.allocation.is_allocatable`).
- Serial-tracked products need one scan per unit, each serial once.
- Scanning the tote with units in hand puts them in (also fewer than the task needs: the
  picker then goes on taking the rest from the same location).
- ``SKIP`` and ``SHORT`` need empty hands; ``SHORT`` then waits for a reason barcode
  (``PD-REASON-EMPTY``, ``PD-REASON-DAMAGED``, ``PD-REASON-NOTFOUND``) or ``CANCEL``.
- ``FULL TOTE`` (the order's tote is full) waits for an empty tote's barcode, which takes the
  full one's place for the rest of the order (or ``CANCEL``); units in hand go into the new one.
  A tote that holds stock or is another order's is refused (the service says which).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from app.domain.allocation import Bucket, is_allocatable
from app.domain.scans import Command, ScanKind
from app.domain.waves import ShortReason, TaskStep

#: any receipt time: the lot check looks at the expiry only
_EPOCH = datetime(2000, 1, 1)

#: the step while a short pick waits for its reason (kept in ``pick_tasks.step``)
SHORT_STEP = "short"
#: the step while a full tote waits for the empty tote that replaces it
NEW_TOTE_STEP = "new_tote"

#: the reason barcodes (data, printed on the pick list and the station card)
REASON_PREFIX = "PD-REASON-"
REASON_CODES = {
    ShortReason.EMPTY: "PD-REASON-EMPTY",
    ShortReason.DAMAGED: "PD-REASON-DAMAGED",
    ShortReason.NOT_FOUND: "PD-REASON-NOTFOUND",
}
_CODE_REASONS = {code: reason for reason, code in REASON_CODES.items()}


#: the reasons as the picker reads them (translated by the screen)
REASON_WORDS = {
    ShortReason.EMPTY: "empty",
    ShortReason.DAMAGED: "damaged",
    ShortReason.NOT_FOUND: "not found",
}


def parse_reason(text: str) -> ShortReason | None:
    """The short-pick reason in a reason barcode, or None."""
    return _CODE_REASONS.get(text.strip().upper())


class Refusal(StrEnum):
    WRONG_LOCATION = "wrong_location"
    WRONG_PRODUCT = "wrong_product"
    WRONG_LOT = "wrong_lot"
    WRONG_TOTE = "wrong_tote"
    TOO_MANY = "too_many"
    NEEDS_SERIAL = "needs_serial"
    REPEATED_SERIAL = "repeated_serial"
    HANDS_FULL = "hands_full"
    NEEDS_REASON = "needs_reason"
    NOT_EXPECTED = "not_expected"
    UNREADABLE = "unreadable"
    NEEDS_NEW_TOTE = "needs_new_tote"
    TOTE_NOT_EMPTY = "tote_not_empty"
    SAME_TOTE = "same_tote"
    BULK_TOTE = "bulk_tote"


class Effect(StrEnum):
    #: only the task's state changes (or nothing, when refused)
    NONE = "none"
    #: move the units in hand from the location into the tote
    PUT = "put"
    #: the reservation moves to the lot scanned (``lot_id``), then the units are in hand
    SWAP_LOT = "swap_lot"
    SKIP = "skip"
    #: record a short pick with ``reason``
    SHORT = "short"
    #: the order's (or the batch's) tote is now ``tote``
    NEW_TOTE = "new_tote"


#: every sentence the picker sees (English templates, translated by the screen)
PICK_MESSAGES = {
    "scan_location": "Go to {location} and scan the location.",
    "scan_product": "Take {sku} and scan it.",
    "scan_more": "{held} of {need} in hand: scan the next unit or the quantity.",
    "scan_tote": "{held} in hand: put them into tote {tote} and scan the tote.",
    "choose_reason": "Short pick: scan the reason (empty, damaged, not found) or CANCEL.",
    "location_ok": "Location {location}: take {sku}.",
    "product_ok": "{held} of {need} in hand.",
    "lot_swapped": "Lot {lot} taken instead of {old_lot}: the reservation moved to it.",
    "put_ok": "{qty} put into tote {tote}.",
    "skipped": "Task skipped: it comes round again at the end.",
    "short_cancelled": "Short pick cancelled.",
    "short_ok": "Short pick recorded ({reason}).",
    "scan_new_tote": "Tote {tote} is full: put an empty tote in its place and scan it (or CANCEL).",
    "new_tote_ok": "Tote {tote} replaces the full tote {old}.",
    "new_tote_cancelled": "Full tote cancelled: go on with tote {tote}.",
    Refusal.WRONG_LOCATION: "Wrong location: you scanned {scanned}. Go to {location} and scan it.",
    Refusal.WRONG_PRODUCT: "Wrong product: you scanned {scanned}. Take {sku} from {location}.",
    Refusal.WRONG_LOT: "Wrong lot: {scanned} may not be taken here. Take lot {lot} of {sku}.",
    Refusal.WRONG_TOTE: "Wrong tote: you scanned {scanned}. Put the units into tote {tote}.",
    Refusal.TOO_MANY: "Too many: the task needs {need} and {held} are in hand. "
    "Put the extra units back.",
    Refusal.NEEDS_SERIAL: "{sku} needs its serial number: scan the serial barcode of each unit.",
    Refusal.REPEATED_SERIAL: "Serial {serial} was already scanned: scan the next unit.",
    Refusal.HANDS_FULL: "You hold {held} units: put them into tote {tote} (scan the tote) first.",
    Refusal.NEEDS_REASON: "Choose why the pick is short: scan a reason barcode or press "
    "a reason, or scan CANCEL.",
    Refusal.NOT_EXPECTED: "Not now: {expected}",
    Refusal.UNREADABLE: "This scan is not known here ({scanned}). {expected}",
    Refusal.NEEDS_NEW_TOTE: "Scan the barcode of an empty tote to replace the full tote {tote}, "
    "or scan CANCEL.",
    Refusal.TOTE_NOT_EMPTY: "Tote {scanned} is not empty or belongs to another order: take an "
    "empty tote and scan it.",
    Refusal.SAME_TOTE: "{scanned} is the full tote: take an empty tote and scan it.",
    Refusal.BULK_TOTE: "This batch picks into one bulk tote ({tote}), which cannot be swapped "
    "during the walk: set a second tote beside it and tell a supervisor.",
    "lot_needed": "{sku} is lot-tracked: scan the barcode with its lot.",
}


@dataclass(frozen=True, slots=True)
class LotOption:
    """The stock of a lot the picker scanned, at the task's location (the service reads it)."""

    lot_id: int
    lot_number: str
    free_here: int
    expiry: date | None = None


@dataclass(frozen=True, slots=True)
class TaskState:
    """The task in hand and where its scan sequence stands."""

    location_id: int
    location: str
    product_id: int
    sku: str
    #: units the task is for, and already put into the tote
    qty: int
    qty_picked: int
    tote: str
    lot_id: int | None = None
    lot: str = ""
    lot_tracked: bool = False
    expiry_tracked: bool = False
    serial_tracked: bool = False
    step: str = TaskStep.LOCATION.value
    held_qty: int = 0
    held_lot_id: int | None = None
    serials: tuple[str, ...] = ()
    #: the task goes into the batch's one bulk tote (single-unit, pick then sort)
    bulk: bool = False

    @property
    def need(self) -> int:
        """Units still to take into the hand."""
        return self.qty - self.qty_picked - self.held_qty

    @property
    def remaining(self) -> int:
        return self.qty - self.qty_picked


@dataclass(frozen=True, slots=True)
class PickInput:
    """A scan as the pick sequence needs it."""

    kind: ScanKind
    #: what was scanned, as the picker should read it back
    text: str = ""
    entity_id: int | None = None
    code: str = ""
    command: Command | None = None
    #: units one product scan stands for, or the number of a quantity command
    quantity: int | None = None
    lot: str = ""
    serial: str = ""
    #: the scanned lot's stock at this location, when a lot was scanned (the service looks it up)
    lot_option: LotOption | None = None
    reason: ShortReason | None = None
    #: a tote scanned: it holds stock or is another order's (the service looks it up)
    tote_taken: bool = False


@dataclass(frozen=True, slots=True)
class Rules:
    """What the allocation settings say about taking another lot."""

    today: date
    min_shelf_life_days: int = 0


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    #: a key of PICK_MESSAGES
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    state: TaskState | None = None
    effect: Effect = Effect.NONE
    refusal: Refusal | None = None
    #: the put: units and lot going into the tote
    put_qty: int = 0
    lot_id: int | None = None
    reason: ShortReason | None = None
    #: the new tote (NEW_TOTE)
    tote: str = ""

    @property
    def template(self) -> str:
        return PICK_MESSAGES[self.message]


def prompt(state: TaskState) -> tuple[str, dict[str, Any]]:
    """What to scan next, as a PICK_MESSAGES key and its values."""
    if state.step == SHORT_STEP:
        return "choose_reason", {}
    if state.step == NEW_TOTE_STEP:
        return "scan_new_tote", {"tote": state.tote}
    if state.step == TaskStep.LOCATION:
        return "scan_location", {"location": state.location}
    if state.step == TaskStep.PRODUCT or state.held_qty == 0:
        return "scan_product", {"sku": state.sku}
    if state.step == TaskStep.TOTE:
        return "scan_tote", {"held": state.held_qty, "tote": state.tote}
    return "scan_more", {"held": state.held_qty, "need": state.remaining}


def _prompt_text(state: TaskState) -> str:
    key, params = prompt(state)
    return PICK_MESSAGES[key].format(**params)


def _refuse(state: TaskState, refusal: Refusal, **params: Any) -> Outcome:
    return Outcome(False, refusal, params, state, refusal=refusal)


def _shown(scan: PickInput) -> str:
    return scan.code or scan.text


def accept(state: TaskState, scan: PickInput, rules: Rules) -> Outcome:
    """The outcome of one scan for the task in hand."""
    if scan.kind is ScanKind.COMMAND:
        return _command(state, scan)
    if state.step == NEW_TOTE_STEP:
        return _new_tote(state, scan)
    if state.step == SHORT_STEP:
        if scan.reason is not None:
            return Outcome(
                True,
                "short_ok",
                {"reason": REASON_WORDS[scan.reason]},
                state,
                Effect.SHORT,
                reason=scan.reason,
            )
        return _refuse(state, Refusal.NEEDS_REASON)
    if scan.reason is not None:
        return _refuse(state, Refusal.NOT_EXPECTED, expected=_prompt_text(state))
    if state.step == TaskStep.LOCATION:
        return _location(state, scan)
    if _is_tote(scan):
        return _tote(state, scan)
    if scan.kind is ScanKind.PRODUCT:
        return _product(state, scan, rules)
    if state.step == TaskStep.TOTE and scan.kind is ScanKind.LOCATION:
        return _refuse(state, Refusal.WRONG_TOTE, scanned=_shown(scan), tote=state.tote)
    if scan.kind is ScanKind.LOCATION:
        if scan.entity_id == state.location_id:  # scanning the location again changes nothing
            return Outcome(
                True, "location_ok", {"location": state.location, "sku": state.sku}, state
            )
        return _refuse(state, Refusal.WRONG_LOCATION, scanned=_shown(scan), location=state.location)
    if scan.kind in (ScanKind.UNKNOWN, ScanKind.INVALID):
        return _refuse(
            state, Refusal.UNREADABLE, scanned=_shown(scan), expected=_prompt_text(state)
        )
    return _refuse(state, Refusal.NOT_EXPECTED, expected=_prompt_text(state))


def _is_tote(scan: PickInput) -> bool:
    """The service reports a tote location already in use, or a scan of the tote expected, as
    TOTE whatever the patterns say."""
    return scan.kind is ScanKind.TOTE


def _location(state: TaskState, scan: PickInput) -> Outcome:
    if scan.kind is ScanKind.LOCATION and scan.entity_id == state.location_id:
        new = replace(state, step=TaskStep.PRODUCT.value)
        return Outcome(True, "location_ok", {"location": state.location, "sku": state.sku}, new)
    if scan.kind in (ScanKind.LOCATION, ScanKind.PRODUCT, ScanKind.TOTE):
        return _refuse(state, Refusal.WRONG_LOCATION, scanned=_shown(scan), location=state.location)
    if scan.kind in (ScanKind.UNKNOWN, ScanKind.INVALID):
        return _refuse(
            state, Refusal.UNREADABLE, scanned=_shown(scan), expected=_prompt_text(state)
        )
    return _refuse(state, Refusal.NOT_EXPECTED, expected=_prompt_text(state))


def _product(state: TaskState, scan: PickInput, rules: Rules) -> Outcome:
    if scan.entity_id != state.product_id:
        return _refuse(
            state,
            Refusal.WRONG_PRODUCT,
            scanned=_shown(scan),
            sku=state.sku,
            location=state.location,
        )
    units = 1 if state.serial_tracked else max(1, scan.quantity or 1)
    if state.step == TaskStep.TOTE or units > state.need:
        return _refuse(state, Refusal.TOO_MANY, need=state.remaining, held=state.held_qty + units)
    serials = state.serials
    if state.serial_tracked:
        if not scan.serial:
            return _refuse(state, Refusal.NEEDS_SERIAL, sku=state.sku)
        if scan.serial in state.serials:
            return _refuse(state, Refusal.REPEATED_SERIAL, serial=scan.serial)
        serials = (*serials, scan.serial)
    lot_id, effect, message = state.lot_id, Effect.NONE, "product_ok"
    params: dict[str, Any] = {}
    if state.lot_tracked or state.expiry_tracked:
        checked = _lot(state, scan, rules)
        if isinstance(checked, Outcome):
            return checked
        lot_id, swapped = checked
        if swapped:
            effect, message = Effect.SWAP_LOT, "lot_swapped"
            params = {"lot": scan.lot, "old_lot": state.lot}
    held = state.held_qty + units
    step = TaskStep.TOTE if held == state.remaining else TaskStep.QTY
    new = replace(state, step=step.value, held_qty=held, held_lot_id=lot_id, serials=serials)
    if effect is Effect.SWAP_LOT:
        new = replace(new, lot_id=lot_id, lot=scan.lot)
    else:
        params = {"held": held, "need": state.remaining}
    return Outcome(True, message, params, new, effect, lot_id=lot_id)


def _lot(state: TaskState, scan: PickInput, rules: Rules) -> Outcome | tuple[int | None, bool]:
    """The lot of the units scanned, and whether the reservation must move to it."""
    if not scan.lot:
        return Outcome(False, "lot_needed", {"sku": state.sku}, state, refusal=Refusal.WRONG_LOT)
    if scan.lot == state.lot:
        return state.lot_id, False
    option = scan.lot_option
    wrong = _refuse(state, Refusal.WRONG_LOT, scanned=scan.lot, lot=state.lot, sku=state.sku)
    if state.held_qty or state.qty_picked or option is None:
        return wrong  # units in hand or in the tote are of the allocated lot: no mixing
    bucket = Bucket(0, option.free_here, "pickable", _EPOCH, option.expiry)
    fefo = state.expiry_tracked
    allowed = is_allocatable(
        bucket, fefo=fefo, today=rules.today, min_shelf_life_days=rules.min_shelf_life_days
    )
    if not allowed or option.free_here < state.remaining:
        return wrong
    return option.lot_id, True


def _tote(state: TaskState, scan: PickInput) -> Outcome:
    if state.held_qty == 0:
        return _refuse(state, Refusal.NOT_EXPECTED, expected=_prompt_text(state))
    if scan.code.strip().upper() != state.tote.strip().upper():
        return _refuse(state, Refusal.WRONG_TOTE, scanned=_shown(scan), tote=state.tote)
    picked = state.qty_picked + state.held_qty
    step = TaskStep.PRODUCT if picked < state.qty else TaskStep.LOCATION
    new = replace(state, qty_picked=picked, held_qty=0, held_lot_id=None, step=step.value)
    params = {"qty": state.held_qty, "tote": state.tote}
    return Outcome(
        True, "put_ok", params, new, Effect.PUT, put_qty=state.held_qty, lot_id=state.held_lot_id
    )


def _command(state: TaskState, scan: PickInput) -> Outcome:
    cmd = scan.command
    if state.step == NEW_TOTE_STEP:
        if cmd is Command.CANCEL:
            resumed = replace(state, step=_step_after_tote_change(state))
            return Outcome(True, "new_tote_cancelled", {"tote": state.tote}, resumed)
        return _refuse(state, Refusal.NEEDS_NEW_TOTE, tote=state.tote)
    if cmd is Command.FULL_TOTE and state.bulk:
        return _refuse(state, Refusal.BULK_TOTE, tote=state.tote)
    if cmd is Command.FULL_TOTE and state.step != SHORT_STEP:
        return Outcome(
            True, "scan_new_tote", {"tote": state.tote}, replace(state, step=NEW_TOTE_STEP)
        )
    if state.step == SHORT_STEP:
        if cmd is Command.CANCEL:
            back = TaskStep.PRODUCT if state.qty_picked else TaskStep.LOCATION
            return Outcome(True, "short_cancelled", {}, replace(state, step=back.value))
        return _refuse(state, Refusal.NEEDS_REASON)
    if cmd is Command.QUANTITY:
        return _quantity(state, scan.quantity or 0)
    if cmd in (Command.SKIP, Command.SHORT) and state.held_qty:
        return _refuse(state, Refusal.HANDS_FULL, held=state.held_qty, tote=state.tote)
    if cmd is Command.SKIP:
        new = replace(state, step=TaskStep.LOCATION.value, serials=())
        return Outcome(True, "skipped", {}, new, Effect.SKIP)
    if cmd is Command.SHORT:
        return Outcome(True, "choose_reason", {}, replace(state, step=SHORT_STEP))
    return _refuse(state, Refusal.NOT_EXPECTED, expected=_prompt_text(state))


def _step_after_tote_change(state: TaskState) -> str:
    """Where the sequence goes on after a full tote was replaced (or not): units in hand go
    into the tote; with empty hands, the product again (the location was scanned) or the
    location."""
    if state.held_qty:
        return (TaskStep.TOTE if state.held_qty == state.remaining else TaskStep.QTY).value
    return (TaskStep.PRODUCT if state.qty_picked else TaskStep.LOCATION).value


def _new_tote(state: TaskState, scan: PickInput) -> Outcome:
    if not _is_tote(scan):
        return _refuse(state, Refusal.NEEDS_NEW_TOTE, tote=state.tote)
    code = scan.code.strip() or scan.text.strip()
    if code.upper() == state.tote.strip().upper():
        return _refuse(state, Refusal.SAME_TOTE, scanned=code)
    if scan.tote_taken:
        return _refuse(state, Refusal.TOTE_NOT_EMPTY, scanned=code)
    new = replace(state, tote=code, step=_step_after_tote_change(state))
    params = {"tote": code, "old": state.tote}
    return Outcome(True, "new_tote_ok", params, new, Effect.NEW_TOTE, tote=code)


def _quantity(state: TaskState, n: int) -> Outcome:
    """``PD-CMD-QTY-n``: n units in hand in all (after the product was scanned once)."""
    if state.step not in (TaskStep.QTY, TaskStep.TOTE) or state.held_qty == 0:
        return _refuse(state, Refusal.NOT_EXPECTED, expected=_prompt_text(state))
    if state.serial_tracked:
        return _refuse(state, Refusal.NEEDS_SERIAL, sku=state.sku)
    if n > state.remaining:
        return _refuse(state, Refusal.TOO_MANY, need=state.remaining, held=n)
    step = TaskStep.TOTE if n == state.remaining else TaskStep.QTY
    new = replace(state, held_qty=n, step=step.value)
    return Outcome(True, "product_ok", {"held": n, "need": state.remaining}, new)


def replay(state: TaskState, scans: list[PickInput], rules: Rules) -> list[Outcome]:
    """Feed scans one after another (what the service does, one unit of work each); a put
    ends the task when it completes it, a skip or short ends it at once."""
    out: list[Outcome] = []
    for scan in scans:
        outcome = accept(state, scan, rules)
        out.append(outcome)
        assert outcome.state is not None
        state = outcome.state
    return out

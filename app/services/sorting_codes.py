"""Carriers' sorting codes (大头笔, the routing code printed big on the label, and 集包地, the hub
the parcel is bagged for): a table per carrier, loaded from a file, looked up per address.

The most specific row wins: the longest postal-code prefix first, then a row naming the
district, then the city, then the province, then the country only. Every name a row gives must
match the address (compared by ``app.domain.place_names``: "广东" is "广东省")."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import String, bindparam, delete, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from app.db.models import Carrier
from app.db.models import SortingCode as SortingCodeRow
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound
from app.domain.place_names import country_key, place_key, postal_key
from app.domain.users import Actor, Permission
from app.importers import sorting_code_file
from app.importers.records import RowProblem
from app.services.access import writes

#: words in this module's messages (translated on screen)
SORTING_WORDS = {"carrier": "Carrier"}


class Destination(Protocol):
    """An address as the lookup reads it (an ``Address`` row or any object alike)."""

    country: str
    province: str
    city: str
    district: str
    postal_code: str


@dataclass(frozen=True)
class SortingCode:
    #: 大头笔
    code: str
    #: 集包地
    hub: str


@dataclass(frozen=True)
class SortingLoadReport:
    carrier: str
    file: str
    loaded: int
    rejected: int
    problems: list[RowProblem]


@writes(Permission.MANAGE_SHIPPING)
def load_sorting_codes(
    uow: UnitOfWork, actor: Actor, carrier_code: str, path: Path | str
) -> SortingLoadReport:
    """Replace the carrier's sorting-code table with the file's rows; rejected rows are
    reported with their row number and reason (the others are loaded)."""
    with uow:
        uow.require(actor, Permission.MANAGE_SHIPPING)
        s = uow.session
        carrier_id = s.scalar(select(Carrier.id).where(Carrier.code == carrier_code.strip()))
        if carrier_id is None:
            raise NotFound(what=SORTING_WORDS["carrier"], key=carrier_code)
        parsed = sorting_code_file.read(path)
        before = s.scalar(select(func.count()).where(SortingCodeRow.carrier_id == carrier_id))
        s.execute(delete(SortingCodeRow).where(SortingCodeRow.carrier_id == carrier_id))
        if parsed.rows:
            s.execute(
                insert(SortingCodeRow),
                [
                    {
                        "carrier_id": carrier_id,
                        "country": r.country,
                        "province": r.province,
                        "city": r.city,
                        "district": r.district,
                        "postal_prefix": r.postal_prefix,
                        "code": r.code,
                        "hub": r.hub,
                    }
                    for r in parsed.rows
                ],
            )
        uow.audit(
            actor,
            "sorting_codes.load",
            "carrier",
            carrier_code,
            {"rows": before},
            {"rows": len(parsed.rows), "rejected": len(parsed.problems), "file": parsed.file},
        )
        uow.commit()
        return SortingLoadReport(
            carrier_code, parsed.file, len(parsed.rows), len(parsed.problems), parsed.problems
        )


#: a row as the lookup reads it: province, city, district, postal_prefix, country, code, hub
_Row = tuple[str, str, str, str, str, str, str]


def _specificity(row: _Row) -> tuple[int, bool, bool, bool, bool]:
    province, city, district, prefix, country = row[:5]
    return (len(prefix), bool(district), bool(city), bool(province), bool(country))


def _matches(row: _Row, a: Destination) -> bool:
    return all(
        not want or place_key(want) == place_key(have)
        for want, have in ((row[0], a.province), (row[1], a.city), (row[2], a.district))
    )


def _named(column: Any, param: str) -> Any:
    """The column is empty, or starts as the name's key does (narrows the rows read; the
    exact comparison is ``_matches``)."""
    return or_(column == "", func.lower(column).like(bindparam(param), escape="/"))


def _starts(key: str) -> str:
    """A LIKE pattern for names starting with the key's first two characters."""
    head = key[:2].replace("/", "//").replace("%", "/%").replace("_", "/_")
    return head + "%"


_T = SortingCodeRow
#: built once (building a select costs more than SQLite takes to run it)
_LOOKUP = select(
    _T.province, _T.city, _T.district, _T.postal_prefix, _T.country, _T.code, _T.hub
).where(
    _T.carrier_id == bindparam("carrier_id"),
    _T.country.in_([literal(""), bindparam("country")]),
    or_(
        _T.postal_prefix == "",
        func.substr(bindparam("postal", type_=String), 1, func.length(_T.postal_prefix))
        == _T.postal_prefix,
    ),
    _named(_T.province, "province"),
    _named(_T.city, "city"),
)


def sorting_code_for(session: Session, carrier_id: int, address: Destination) -> SortingCode | None:
    """The carrier's sorting code and hub for the address (the most specific row), or None."""
    params = {
        "carrier_id": carrier_id,
        "country": country_key(address.country),
        "postal": postal_key(address.postal_code),
        "province": _starts(place_key(address.province)),
        "city": _starts(place_key(address.city)),
    }
    rows = session.connection().execute(_LOOKUP, params).tuples()
    found: list[_Row] = [r for r in rows if _matches(r, address)]
    if not found:
        return None
    best = max(found, key=_specificity)
    return SortingCode(best[5], best[6])

"""The customers of imported orders: found again by their lookup keys (keyed hashes of the
e-mail, or of the name and phone), created in bulk when new.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from app.db.models import Customer, CustomerKey, utcnow
from app.domain.privacy import customer_key_texts, lookup_key
from app.importers.records import OrderRecord
from app.importers.values import digits_of
from app.services import privacy
from app.services.intake_rows import insert_ids, protected, write_rows

# Core tables: one executemany each (see intake_insert)
_customers = cast(Table, Customer.__table__)
_customer_keys = cast(Table, CustomerKey.__table__)


def customer_keys(rec: OrderRecord, secret: bytes) -> list[str]:
    """Lookup keys of the order's customer: e-mail, else name and phone, as keyed hashes. A
    recipient the platform masks or encrypts (张** / 138****1234, ##密文) does not tell one
    buyer from another: it finds no one, so different buyers are not merged into one customer
    nor their orders held as duplicates of each other."""
    phone = "" if protected(rec) else digits_of(rec.address.phone)
    texts = customer_key_texts(rec.email, phone, rec.customer_name or rec.address.name)
    return [lookup_key(secret, t) for t in texts]


def customers_for(s: Session, recs: list[OrderRecord], created: set[int]) -> dict[str, int]:
    """external id -> customer id; returning customers found by their keys, the others
    created (their ids are added to ``created``)."""
    secret = privacy.key_secret(s)  # once per batch, not per row
    keys = {r.external_id: customer_keys(r, secret) for r in recs}
    wanted = sorted({k for ks in keys.values() for k in ks})
    known: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        for key, cid in s.execute(
            select(CustomerKey.key, CustomerKey.customer_id).where(
                CustomerKey.key.in_(wanted[i : i + 500])
            )
        ):
            known[key] = cid
    out: dict[str, int] = {}
    to_create: list[OrderRecord] = []
    pending: dict[str, int] = {}  # key -> index in to_create
    for r in recs:
        ks = keys[r.external_id]
        cid = next((known[k] for k in ks if k in known), None)
        if cid is not None:
            out[r.external_id] = cid
            continue
        idx = next((pending[k] for k in ks if k in pending), None)
        if idx is None:
            idx = len(to_create)
            to_create.append(r)
        for k in ks:
            pending.setdefault(k, idx)
        out[r.external_id] = -1 - idx
    if to_create:
        now = utcnow()
        ids = insert_ids(
            s,
            _customers,
            [
                {
                    "name": (r.customer_name or r.address.name)[:200],
                    "phone": r.address.phone[:40],
                    "email": r.email[:200],
                    "created_at": now,
                    "notices_opt_out": False,
                }
                for r in to_create
            ],
        )
        # one key per new customer (the e-mail when there is one) keeps the table small;
        # both keys of an incoming order are looked up
        first_key: dict[int, str] = {}
        for k, idx in pending.items():
            first_key.setdefault(idx, k)
        if first_key:
            write_rows(
                s,
                _customer_keys,
                [{"key": k, "customer_id": ids[idx]} for idx, k in first_key.items()],
            )
        for ext, cid in out.items():
            if cid < 0:
                out[ext] = ids[-1 - cid]
        created.update(ids)
    return out

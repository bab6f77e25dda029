"""Order numbers (PD00000001...), as demo data and the factories use: the next ones are
taken under a PostgreSQL advisory lock, so two stations importing at once never share one.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.db.models import Order

#: pg_advisory_xact_lock key serialising order numbers between stations ("PDNUMBER")
NUMBER_LOCK = 0x50444E554D424552
NUMBER_PREFIX = "PD"
NUMBER_DIGITS = 8


def next_numbers(s: Session, n: int) -> list[str]:
    """The next ``n`` order numbers (PD00000001...), as demo data and the factories use."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": NUMBER_LOCK})
    lo = NUMBER_PREFIX + "0" * NUMBER_DIGITS
    hi = NUMBER_PREFIX + "9" * NUMBER_DIGITS
    last = s.scalars(
        select(Order.number)
        # plain numbers only: split parts ("PD00000010-2") sort above their order
        .where(Order.number >= lo, Order.number <= hi, func.length(Order.number) == len(lo))
        .order_by(Order.number.desc())
        .limit(20)
    ).all()
    start = next(
        (
            int(x[len(NUMBER_PREFIX) :])
            for x in last
            if x[len(NUMBER_PREFIX) :].isdigit() and len(x) == len(lo)
        ),
        0,
    )
    return [f"{NUMBER_PREFIX}{start + i:0{NUMBER_DIGITS}d}" for i in range(1, n + 1)]

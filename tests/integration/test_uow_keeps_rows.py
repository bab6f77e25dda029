"""A unit of work keeps the reference rows it read (``KEPT_FOR_THE_UNIT_OF_WORK``): a product
read once is not read again by a later ``session.get`` in the same action, even after Python
dropped every reference to it (SQLAlchemy's identity map alone holds it weakly)."""

from __future__ import annotations

import gc
from typing import Any

from sqlalchemy import event, select

from app.bootstrap import Services
from app.db.engine import KEPT_FOR_THE_UNIT_OF_WORK
from app.db.models import Base, Order, Product
from tests.factories import add_orders


def test_every_kept_name_is_a_mapped_model() -> None:
    mapped = {m.class_.__name__ for m in Base.registry.mappers}
    assert KEPT_FOR_THE_UNIT_OF_WORK.issubset(mapped)


def test_a_product_read_once_is_not_read_again_in_the_same_unit_of_work(
    services: Services,
) -> None:
    add_orders(services, 1)
    with services.uow() as uow:
        uow.session.add(Product(sku="CUP-1", name="Tea cup"))
        uow.commit()
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(services.engine, "before_cursor_execute", record)
    try:
        with services.uow() as uow:
            s = uow.session
            pid = s.scalar(select(Product.id).limit(1))
            oid = s.scalar(select(Order.id).limit(1))
            assert pid is not None and oid is not None
            assert s.get(Product, pid) is not None
            assert s.get(Order, oid) is not None
            gc.collect()  # nothing here refers to the product or the order any more
            before = len(sent)
            assert s.get(Product, pid) is not None  # kept: no statement
            assert len(sent) == before
            assert s.get(Order, oid) is not None  # not a reference row: read again
            assert len(sent) == before + 1
    finally:
        event.remove(services.engine, "before_cursor_execute", record)

"""Two stations' senders on one PostgreSQL database never send the same notice: the sender
claims with ``FOR UPDATE SKIP LOCKED``, so a notice another connection holds is skipped, not
waited for and not sent twice."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from app.bootstrap import Services
from app.db.models import Notice
from app.services import auth, notices, order_events
from tests.notice_fixtures import shipped_orders, use_server
from tests.smtp_server import smtp_server

pytestmark = pytest.mark.postgres


def test_a_notice_another_sender_holds_is_skipped_and_sent_once_it_is_let_go(
    pg_only_services: Services, tmp_path: Path
) -> None:
    svc = pg_only_services
    svc.run(auth.create_first_admin, "admin", "correct-horse-9", svc.station_id)
    admin = svc.run(auth.login, "admin", "correct-horse-9", svc.station_id, svc.station_code)
    shipped = shipped_orders(svc)
    with smtp_server(tmp_path) as server:
        use_server(svc, admin, server, login=False)
        with svc.uow() as uow:
            order_events.orders_shipped(uow, admin, [shipped.zh, shipped.en])
            uow.commit()
        other = create_engine(svc.engine.url)
        try:
            holder = other.connect()
            tx = holder.begin()  # the other station's sender, mid-claim
            held = holder.execute(
                select(Notice.id).where(Notice.order_id == shipped.zh).with_for_update()
            ).scalar_one()
            with (  # the row lock is really held
                other.connect() as probe,
                pytest.raises(OperationalError, match="could not obtain lock"),
            ):
                probe.execute(
                    text("SELECT id FROM notices WHERE id = :id FOR UPDATE NOWAIT"), {"id": held}
                )
            result: list[notices.SendReport] = []
            sender = threading.Thread(
                target=lambda: result.append(svc.run(notices.send_due, admin)), daemon=True
            )
            sender.start()
            sender.join(30)
            assert not sender.is_alive(), "the sender waited for the held notice"
            assert tx.is_active  # still held while the sender ran
            assert (result[0].sent, result[0].waiting) == (1, 1)
            assert [r.rcpt_tos for r in server.received] == [["emma@example.co.uk"]]
            tx.rollback()
            holder.close()
        finally:
            other.dispose()
        assert svc.run(notices.send_due, admin).sent == 1
        assert sorted(r.rcpt_tos[0] for r in server.received) == [
            "emma@example.co.uk",
            "zhang@example.cn",
        ]

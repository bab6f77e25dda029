"""Customer notices end to end on SQLite and PostgreSQL: queued when orders ship, sent through a
real SMTP server the test starts on loopback (STARTTLS and log-in), retried after failures and
failed for good with the reason in plain words."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.bootstrap import Services
from app.db.models import Channel, Customer, Notice, Order, utcnow
from app.domain.users import Actor
from app.services import notice_outbox, notice_settings, notices, order_events
from tests.notice_fixtures import (
    EN_PHONE,
    EN_STREET,
    ZH_PHONE,
    ZH_STREET,
    Shipped,
    shipped_orders,
    use_server,
)
from tests.smtp_server import MECHANISMS, USER, smtp_server


@pytest.fixture
def shipped(services: Services) -> Shipped:
    return shipped_orders(services)


def _notices(services: Services) -> dict[int, Notice]:
    with services.uow() as uow:
        rows = uow.session.scalars(select(Notice)).all()
        for n in rows:
            uow.session.expunge(n)
        return {n.order_id: n for n in rows}


def _ship(services: Services, admin: Actor, order_ids: list[int]) -> int:
    with services.uow() as uow:
        queued = order_events.orders_shipped(uow, admin, order_ids)
        uow.commit()
    return queued


def test_shipped_notices_arrive_over_starttls_and_login_in_the_customer_s_language(
    services: Services, admin: Actor, shipped: Shipped, tmp_path: Path
) -> None:
    with smtp_server(tmp_path, tls=True) as server:
        use_server(services, admin, server, login=True)
        MECHANISMS.clear()
        assert _ship(services, admin, [shipped.zh, shipped.en, shipped.no_email]) == 2
        report = services.run(notices.send_due, admin)
        assert (report.sent, report.failed, report.retrying, report.waiting) == (2, 0, 0, 0)
        got = {r.rcpt_tos[0]: r for r in server.received}
    assert set(got) == {"zhang@example.cn", "emma@example.co.uk"}
    assert all(r.tls and r.login == USER for r in got.values())
    assert MECHANISMS == ["LOGIN"]  # one connection for both, after STARTTLS
    stored = _notices(services)
    assert shipped.no_email not in stored  # no address, no notice

    zh = got["zhang@example.cn"]
    raw_subject = next(
        line for line in zh.raw.decode("ascii").splitlines() if line.startswith("Subject:")
    )
    assert "=?utf-8?" in raw_subject.lower()  # the Chinese subject is encoded (RFC 2047)
    msg = zh.message
    assert msg["Subject"] == "您在淘宝 · 悦享生活旗舰店的订单TB100已发货"
    assert msg["From"].addresses[0].addr_spec == "shop@example.com"
    assert msg["From"].addresses[0].display_name == "悦享生活 Yuexiang"
    assert msg["To"].addresses[0].addr_spec == "zhang@example.cn"
    assert msg["Message-ID"] == stored[shipped.zh].message_id
    assert msg["Message-ID"].endswith("@example.com>")
    assert abs(parsedate_to_datetime(msg["Date"]) - utcnow()) < timedelta(minutes=5)
    body = msg.get_content()
    assert "张三丰，您好" in body and "顺丰速运 SF Express" in body
    assert "https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1000000001" in body
    assert ZH_PHONE not in zh.raw.decode("ascii", "replace") and ZH_PHONE not in body
    assert "科技园" not in body and ZH_STREET not in body

    en = got["emma@example.co.uk"].message
    assert en["Subject"] == "Your order #1001 from Bluepeak Goods is on its way"
    en_body = en.get_content()
    assert "Hello Emma Wilson" in en_body and "SF1000000002" in en_body
    assert "https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1000000002" in en_body
    assert EN_PHONE not in en_body and EN_STREET not in en_body and "Baker" not in en_body
    assert {n.status for n in stored.values()} == {"sent"}
    assert all(n.sent_at is not None and n.attempts == 1 for n in stored.values())


def test_an_order_is_told_once_per_kind_and_opted_out_customers_and_channels_get_nothing(
    services: Services, admin: Actor, shipped: Shipped, tmp_path: Path
) -> None:
    with smtp_server(tmp_path) as server:
        use_server(services, admin, server, login=False)
        assert (
            services.run(notice_settings.set_customer_opt_out, admin, "Zhang@Example.cn", True) == 1
        )
        assert _ship(services, admin, [shipped.zh, shipped.en]) == 1
        assert _ship(services, admin, [shipped.zh, shipped.en]) == 0  # never twice
        services.run(notice_settings.set_channel_opt_out, admin, "shopify", True)
        with services.uow() as uow:
            assert order_events.orders_delivered(uow, admin, [shipped.en]) == 0
            uow.commit()
        report = services.run(notices.send_due, admin)
        assert [r.rcpt_tos for r in server.received] == [["emma@example.co.uk"]]
    assert report.sent == 1
    with services.uow() as uow:
        rows = uow.session.execute(
            select(Notice.order_id, Notice.kind, Notice.status, Notice.last_error).order_by(
                Notice.id
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        (shipped.zh, "shipped", "cancelled", "opted out (customer)"),
        (shipped.en, "shipped", "sent", ""),
        (shipped.en, "delivered", "cancelled", "opted out (channel)"),
    ]


def test_nothing_is_queued_while_no_mail_server_is_set_up(
    services: Services, admin: Actor, shipped: Shipped
) -> None:
    assert _ship(services, admin, [shipped.zh, shipped.en]) == 0
    assert _notices(services) == {}
    assert services.run(notices.send_due, admin) == notices.SendReport()


def test_an_address_the_server_refuses_for_good_fails_at_once_with_the_reason(
    services: Services, admin: Actor, shipped: Shipped, tmp_path: Path
) -> None:
    with smtp_server(tmp_path) as server:
        use_server(services, admin, server, login=False)
        server.handler.refuse_rcpt = "550 5.1.1 No such mailbox"
        _ship(services, admin, [shipped.zh])
        report = services.run(notices.send_due, admin)
    assert (report.sent, report.failed, report.retrying) == (0, 1, 0)
    n = _notices(services)[shipped.zh]
    assert (n.status, n.attempts, n.next_attempt_at) == ("failed", 1, None)
    assert n.last_error == (
        "The mail server refused the address zhang@example.cn (550 5.1.1 No such mailbox). "
        "Correct the customer's e-mail address, then retry the notice."
    )
    assert n.error_params == {"address": "zhang@example.cn", "error": "550 5.1.1 No such mailbox"}


def test_a_server_that_refuses_for_now_is_tried_again_after_1_5_15_and_60_minutes_then_failed(
    services: Services, admin: Actor, shipped: Shipped, tmp_path: Path
) -> None:
    with smtp_server(tmp_path) as server:
        use_server(services, admin, server, login=False)
        server.handler.refuse_rcpt = "451 4.3.0 Try again later"
        _ship(services, admin, [shipped.zh])
        now = utcnow()
        waits = []
        for _ in range(5):
            report = services.run(notices.send_due, admin, now=now)
            n = _notices(services)[shipped.zh]
            if n.next_attempt_at is None:
                break
            assert services.run(notices.send_due, admin, now=n.next_attempt_at - timedelta(
                seconds=1)).retrying == 0  # fmt: skip  # not yet due
            waits.append(round((n.next_attempt_at - now).total_seconds() / 60))
            now = n.next_attempt_at
        server.handler.refuse_rcpt = ""
        assert services.run(notices.send_due, admin, now=now + timedelta(days=1)).sent == 0
        assert server.received == []
    assert waits == [1, 5, 15, 60]
    assert (report.failed, n.status, n.attempts) == (1, "failed", 5)
    assert n.last_error == (
        "The mail server asked to try again later (451 4.3.0 Try again later); the notice is "
        "sent again by itself."
    )


def test_a_closed_port_and_a_refused_log_in_are_retried_with_the_reason_in_plain_words(
    services: Services, admin: Actor, shipped: Shipped, tmp_path: Path
) -> None:
    with smtp_server(tmp_path, tls=True) as server:
        use_server(services, admin, server, login=True)
        services.run(
            notice_settings.save_smtp_settings, admin, host=server.host, port=server.port,
            starttls=True, user=USER, password="wrong-password", from_address="shop@example.com",
            ca_file=server.ca_file,
        )  # fmt: skip
        _ship(services, admin, [shipped.zh])
        now = utcnow()
        report = services.run(notices.send_due, admin, now=now)
        port = server.port
    assert (report.sent, report.retrying, report.waiting) == (0, 1, 1)
    n = _notices(services)[shipped.zh]
    assert n.status == "waiting" and n.next_attempt_at == now + timedelta(minutes=1)
    assert n.last_error.startswith(f"The mail server refused the log-in of {USER} (535")
    # the server is gone now: its port is closed
    report = services.run(notices.send_due, admin, now=now + timedelta(minutes=1))
    n = _notices(services)[shipped.zh]
    assert (report.retrying, n.attempts, n.status) == (1, 2, "waiting")
    assert n.last_error.startswith(f"The mail server 127.0.0.1:{port} cannot be reached (")
    assert report.error == n.last_error


def test_the_outbox_lists_previews_retries_a_failed_notice_and_cancels_a_waiting_one(
    services: Services, admin: Actor, shipped: Shipped, tmp_path: Path
) -> None:
    with smtp_server(tmp_path) as server:
        use_server(services, admin, server, login=False)
        server.handler.refuse_rcpt = "550 5.1.1 No such mailbox"
        _ship(services, admin, [shipped.zh, shipped.en])
        services.run(notices.send_due, admin)
        ids = {n.order_id: n.id for n in _notices(services).values()}
        failed = services.run(notice_outbox.list_notices, admin, "failed")
        assert {r.order_number for r in failed} == {"PD00000001", "PD00000002"}
        preview = services.run(notice_outbox.notice_message, admin, ids[shipped.en])
        assert preview.body.startswith("Hello Emma Wilson")
        server.handler.refuse_rcpt = ""
        row = services.run(notice_outbox.retry_notice, admin, ids[shipped.zh])
        assert (row.status, row.attempts) == ("waiting", 0)
        services.run(notice_outbox.retry_notice, admin, ids[shipped.en])
        services.run(notice_outbox.cancel_notice, admin, ids[shipped.en])
        assert services.run(notices.send_due, admin).sent == 1
        assert [r.rcpt_tos for r in server.received] == [["zhang@example.cn"]]
    counts = services.run(notice_outbox.notice_counts, admin)
    assert (counts["sent"], counts["cancelled"], counts["failed"]) == (1, 1, 0)
    cancelled = services.run(notice_outbox.list_notices, admin, "cancelled")[0]
    assert cancelled.reason == f"cancelled by {admin.username}"


def test_a_saved_template_is_checked_and_used_for_the_next_notices(
    services: Services, admin: Actor, shipped: Shipped, tmp_path: Path
) -> None:
    from app.domain.errors import ValidationError

    with pytest.raises(ValidationError, match=r"Unknown placeholder \{phone\}"):
        services.run(
            notice_settings.save_template, admin, "shipped", "en", "Sent {order_number}",
            "Call {phone}",
        )  # fmt: skip
    services.run(
        notice_settings.save_template, admin, "shipped", "en", "{shop_name}: {order_number} sent",
        "Dear {customer_name}, track it at {tracking_url}",
    )  # fmt: skip
    views = {(t.kind, t.language): t for t in services.run(notice_settings.list_templates, admin)}
    assert views[("shipped", "en")].own and not views[("shipped", "zh")].own
    with smtp_server(tmp_path) as server:
        use_server(services, admin, server, login=False)
        _ship(services, admin, [shipped.en])
        services.run(notices.send_due, admin)
        msg = server.received[0].message
    assert msg["Subject"] == "Bluepeak Goods: PD00000002 sent"
    assert msg.get_content().strip() == (
        "Dear Emma Wilson, track it at "
        "https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1000000002"
    )


def test_a_notice_left_sending_by_a_crash_is_sent_again_with_its_message_id(
    services: Services, admin: Actor, shipped: Shipped, tmp_path: Path
) -> None:
    with smtp_server(tmp_path) as server:
        use_server(services, admin, server, login=False)
        _ship(services, admin, [shipped.zh])
        with services.uow() as uow:
            uow.session.execute(
                update(Notice).values(
                    status="sending", message_id="<crashed@example.com>",
                    updated_at=utcnow() - timedelta(minutes=11),
                )
            )  # fmt: skip
            uow.commit()
        assert services.run(notices.send_due, admin).sent == 1
        assert server.received[0].message["Message-ID"] == "<crashed@example.com>"


def test_opting_out_an_unknown_customer_or_channel_says_so(
    services: Services, admin: Actor, shipped: Shipped
) -> None:
    from app.domain.errors import NotFound

    with pytest.raises(NotFound):
        services.run(notice_settings.set_customer_opt_out, admin, "nobody@example.com", True)
    with pytest.raises(NotFound):
        services.run(notice_settings.set_channel_opt_out, admin, "nowhere", True)
    services.run(notice_settings.set_channel_opt_out, admin, "淘宝 · 悦享生活旗舰店", True)
    with services.uow() as uow:
        assert uow.session.scalar(select(Channel.notices_opt_out).where(Channel.code == "taobao"))
        assert not any(uow.session.scalars(select(Customer.notices_opt_out)))


def test_the_personal_data_purge_blanks_the_notices_and_stops_one_still_waiting(
    services: Services, admin: Actor, shipped: Shipped, tmp_path: Path
) -> None:
    from app.services import privacy

    with smtp_server(tmp_path) as server:
        use_server(services, admin, server, login=False)
        _ship(services, admin, [shipped.zh, shipped.en])
        services.run(notices.send_due, admin)
        with services.uow() as uow:
            order_events.orders_delivered(uow, admin, [shipped.zh])
            uow.session.execute(
                update(Order)
                .where(Order.id == shipped.zh)
                .values(status="delivered", updated_at=utcnow() - timedelta(days=400))
            )
            uow.commit()
    services.run(privacy.set_retention_days, admin, 180)
    assert services.run(privacy.purge_personal_data, admin).orders == 1
    with services.uow() as uow:
        rows = uow.session.execute(
            select(Notice.order_id, Notice.kind, Notice.status, Notice.to_address, Notice.body)
            .order_by(Notice.id)
        ).all()  # fmt: skip
    assert [tuple(r)[:4] for r in rows] == [
        (shipped.zh, "shipped", "sent", ""),
        (shipped.en, "shipped", "sent", "emma@example.co.uk"),
        (shipped.zh, "delivered", "cancelled", ""),
    ]
    assert rows[0].body == "" and rows[2].body == "" and "Emma" in rows[1].body


def test_customers_and_channels_bulk_inserted_without_the_opt_out_are_not_opted_out(
    services: Services,
) -> None:
    from app.db.bulk import bulk_insert
    from app.db.models import Base

    with services.uow() as uow:
        conn = uow.session.connection()
        bulk_insert(conn, Base.metadata.tables["channels"],
                    [{"code": "b1", "name": "Bulk", "platform": "manual", "active": True,
                      "mask_policy": "ewaybill"}])  # fmt: skip
        bulk_insert(conn, Base.metadata.tables["customers"],
                    [{"name": "王五", "phone": "", "email": "w@example.cn", "created_at": utcnow(),
                      "purged_at": None}])  # fmt: skip
        uow.commit()
    with services.uow() as uow:
        assert uow.session.scalars(select(Channel.notices_opt_out)).all() == [False]
        assert uow.session.scalars(select(Customer.notices_opt_out)).all() == [False]

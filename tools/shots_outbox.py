#!/usr/bin/env python3
"""Screenshots of the Outbox (notices sent, waiting for a retry and failed with the reason, one
previewed) and of its template editor, in English and Chinese, offscreen, into
docs/screenshots/. The notices really go through an SMTP server started on loopback.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_outbox.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from app.bootstrap import Services  # noqa: E402
from app.db.models import Address, Carrier, Channel, Customer, Order, Parcel  # noqa: E402
from app.domain.users import Actor, Role  # noqa: E402
from app.services import notices, order_events  # noqa: E402
from tests.conftest import make_actor  # noqa: E402
from tests.notice_fixtures import shipped_orders, use_server  # noqa: E402
from tests.smtp_server import smtp_server  # noqa: E402
from tools.shot_kit import fresh_shop, settle, wait  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.outbox import OutboxScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"

MORE = [
    ("陈静", "chenjing@example.cn", "CN", "TB3312000461", "SF1000000011"),
    ("刘洋", "liuyang@example.cn", "CN", "TB3312000462", "SF1000000012"),
    ("Oliver Brown", "oliver.brown@example.com", "US", "#1002", "SF1000000013"),
    ("王小明", "wxm@example.cn", "CN", "TB3312000463", "SF1000000014"),
]


def more_orders(services: Services) -> list[int]:
    with services.uow() as uow:
        s = uow.session
        taobao = s.scalar(select(Channel.id).where(Channel.code == "taobao"))
        shopify = s.scalar(select(Channel.id).where(Channel.code == "shopify"))
        sf = s.scalar(select(Carrier.id).where(Carrier.code == "SF"))
        ids = []
        for i, (name, email, country, ext, tracking) in enumerate(MORE, 11):
            cid = s.execute(
                insert(Customer).returning(Customer.id), [{"name": name, "email": email}]
            ).scalar_one()
            aid = s.execute(
                insert(Address).returning(Address.id),
                [{"customer_id": cid, "name": name, "country": country}],
            ).scalar_one()
            oid = s.execute(
                insert(Order).returning(Order.id),
                [{"number": f"PD{i:08d}", "channel_id": taobao if country == "CN" else shopify,
                  "external_id": ext, "status": "shipped", "customer_id": cid,
                  "ship_address_id": aid}],
            ).scalar_one()  # fmt: skip
            s.execute(
                insert(Parcel),
                [{"order_id": oid, "seq": 1, "status": "shipped", "carrier_id": sf,
                  "tracking_number": tracking}],
            )  # fmt: skip
            ids.append(oid)
        uow.commit()
    return ids


def ship(services: Services, actor: Actor, ids: list[int], kind: str = "shipped") -> None:
    with services.uow() as uow:
        hook = order_events.orders_shipped if kind == "shipped" else order_events.orders_delivered
        hook(uow, actor, ids)
        uow.commit()


def shop(folder: Path) -> tuple[Services, Actor]:
    """Sent, failed (address refused), waiting for a retry (server busy) and waiting."""
    services, admin, _ = fresh_shop()
    shipped = shipped_orders(services)
    more = more_orders(services)
    with smtp_server(folder) as server:
        use_server(services, admin, server, login=False)
        ship(services, admin, [shipped.zh, more[0], more[2]])
        services.run(notices.send_due, admin)
        server.handler.refuse_rcpt = "550 5.1.1 No such mailbox"
        ship(services, admin, [shipped.en])
        services.run(notices.send_due, admin)
        server.handler.refuse_rcpt = "451 4.3.0 Mailbox busy, try again later"
        ship(services, admin, [more[1]])
        services.run(notices.send_due, admin)
        ship(services, admin, [shipped.zh, more[0]], "delivered")
        ship(services, admin, [more[3]])
    return services, make_actor(services, admin, Role.SUPERVISOR, "supervisor")


def shots(app: QApplication, lang: str) -> None:
    install_language(app, lang)
    services, supervisor = shop(Path(tempfile.mkdtemp(prefix="packdesk-smtp-")))
    window = MainWindow(UiContext(services, supervisor, Bus()))
    window.resize(1500, 760)
    window.show()
    screen = window.screen(OutboxScreen)
    assert isinstance(screen, OutboxScreen)
    wait(screen.loaded)
    failed = next(i for i, r in enumerate(screen.model.rows) if r.status == "failed")
    screen.table.selectRow(failed)
    settle(app, 1.0)
    for name in (f"outbox_{lang}", f"outbox_templates_{lang}"):
        if "templates" in name:
            screen.tabs.setCurrentWidget(screen.templates)
            wait(screen.templates.loaded)
            screen.templates.choice.setCurrentRow(1 if lang == "zh_CN" else 0)
            settle(app, 0.6)
        path = OUT / f"{name}.png"
        window.grab().save(str(path))
        print(path.relative_to(ROOT))
    window.close()
    services.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        shots(app, lang)


if __name__ == "__main__":
    main()

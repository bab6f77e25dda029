"""Shipped orders to send notices for: a Chinese customer in Shenzhen on a Taobao shop and an
English one in London on a Shopify shop, each with an e-mail address, a phone and a street
(which a notice must not repeat), and an SF parcel with its tracking number."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert

from app.bootstrap import Services
from app.db.models import Address, Carrier, Channel, Customer, Order, Parcel
from app.domain.users import Actor
from app.services import notice_settings
from tests.smtp_server import PASSWORD, USER, MailServer

ZH_PHONE, EN_PHONE = "13812345678", "+44 20 7946 0958"
ZH_STREET, EN_STREET = "科技园南路88号3栋1单元502室", "221B Baker Street"


@dataclass(frozen=True)
class Shipped:
    zh: int
    en: int
    no_email: int
    zh_tracking: str
    en_tracking: str


def _channel(s: object, code: str, name: str, platform: str) -> int:
    return s.execute(  # type: ignore[attr-defined,no-any-return]
        insert(Channel).returning(Channel.id),
        [{"code": code, "name": name, "platform": platform}],
    ).scalar_one()


def shipped_orders(services: Services) -> Shipped:
    with services.uow() as uow:
        s = uow.session
        taobao = _channel(s, "taobao", "淘宝 · 悦享生活旗舰店", "taobao")
        shopify = _channel(s, "shopify", "Bluepeak Goods", "shopify")
        sf = s.execute(
            insert(Carrier).returning(Carrier.id), [{"code": "SF", "name": "顺丰速运 SF Express"}]
        ).scalar_one()
        people = [
            ("张三丰", ZH_PHONE, "zhang@example.cn", "CN", ZH_STREET, taobao, "TB100",
             "SF1000000001"),
            ("Emma Wilson", EN_PHONE, "emma@example.co.uk", "GB", EN_STREET, shopify, "#1001",
             "SF1000000002"),
            ("李四", "13900000000", "", "CN", "人民路1号", taobao, "TB101", "SF1000000003"),
        ]  # fmt: skip
        ids = []
        for i, (name, phone, email, country, street, ch, ext, tracking) in enumerate(people, 1):
            cid = s.execute(
                insert(Customer).returning(Customer.id),
                [{"name": name, "phone": phone, "email": email}],
            ).scalar_one()
            aid = s.execute(
                insert(Address).returning(Address.id),
                [{"customer_id": cid, "name": name, "phone": phone, "phone_digits": phone,
                  "country": country, "city": "深圳市" if country == "CN" else "London",
                  "street": street, "postal_code": "518000"}],
            ).scalar_one()  # fmt: skip
            oid = s.execute(
                insert(Order).returning(Order.id),
                [{"number": f"PD{i:08d}", "channel_id": ch, "external_id": ext,
                  "status": "shipped", "customer_id": cid, "ship_address_id": aid}],
            ).scalar_one()  # fmt: skip
            s.execute(
                insert(Parcel),
                [{"order_id": oid, "seq": 1, "status": "shipped", "carrier_id": sf,
                  "tracking_number": tracking}],
            )  # fmt: skip
            ids.append(oid)
        uow.commit()
    return Shipped(ids[0], ids[1], ids[2], "SF1000000001", "SF1000000002")


def use_server(services: Services, admin: Actor, server: MailServer, *, login: bool) -> None:
    services.run(
        notice_settings.save_smtp_settings,
        admin,
        host=server.host,
        port=server.port,
        starttls=login,
        user=USER if login else "",
        password=PASSWORD if login else "",
        from_address="shop@example.com",
        from_name="悦享生活 Yuexiang",
        ca_file=server.ca_file,
    )

"""The demo warehouse packs out of the box: an allocated demo order in no wave is opened at a
demo pack bench, scanned, weighed, and gets a number from the demo pool and its label."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import (
    Order,
    OrderLine,
    PackageType,
    Product,
    ProductBarcode,
    ShippingRule,
    TrackingNumber,
    WaveOrder,
)
from app.domain.users import Role
from app.services import auth, demo_data, packing
from app.services.pack_settings import get_pack_settings


def test_a_demo_order_is_packed_with_the_demo_cartons_pool_and_settings(
    services: Services,
) -> None:
    services.run(demo_data.generate, orders=120, seed=5, now=datetime(2026, 12, 1, tzinfo=UTC))
    settings = services.run(get_pack_settings)
    assert settings.sender_name and settings.sender_city == "杭州市"
    with services.uow() as uow:
        s = uow.session
        assert s.scalar(select(func.count(PackageType.id))) == 5
        assert s.scalar(select(func.count(ShippingRule.id))) == 1
        free = s.scalar(
            select(func.count(TrackingNumber.id)).where(TrackingNumber.status == "free")
        )
        assert free and free >= 1200
        in_wave = select(WaveOrder.order_id)
        order = s.scalars(
            select(Order)
            .where(Order.status == "allocated", Order.id.not_in(in_wave), ~Order.pickup)
            .order_by(Order.id)
        ).first()
        assert order is not None
        lines = s.execute(
            select(OrderLine.qty, Product.weight_g, func.min(ProductBarcode.barcode))
            .join(Product, Product.id == OrderLine.product_id)
            .join(ProductBarcode, ProductBarcode.product_id == Product.id)
            .where(OrderLine.order_id == order.id)
            .group_by(OrderLine.id, OrderLine.qty, Product.weight_g)
        ).all()
        number = order.number
    packer = services.run(auth.login, "packer1", "demo-packer1", services.station_id)
    assert packer.role is Role.PACKER
    view = services.run(packing.open_for_packing, packer, number)
    for qty, _, barcode in lines:
        for _ in range(qty):
            out = services.run(packing.scan, packer, view.session_id, barcode)
            assert out.ok, (out.message, out.params)
    expected = services.run(packing.pack_view, packer, view.session_id).current_parcel
    assert expected is not None and expected.expected_g is not None
    done = services.run(packing.weigh, packer, view.session_id, expected.expected_g)
    assert done.ok and done.kind == "packed", (done.message, done.params)
    assert done.tracking_number and done.label_job_id and done.slip_job_id

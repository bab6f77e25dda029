"""The Settings screen's services on both backends: the shop logo is checked, stored in the
database for every station and audited without the picture; everything the screen shows is
read in one go for a user who may change settings; the schema revision is known."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from app.bootstrap import Services
from app.db.migrate import script_heads
from app.db.models import AuditEntry
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.settings_logo import MAX_LOGO_BYTES
from app.domain.users import Actor, Role
from app.services import notice_settings, settings_logo, settings_view
from app.services.notice_settings import HIDDEN
from tests.conftest import make_actor


def _picture(kind: str = "PNG", size: tuple[int, int] = (300, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "navy").save(out, kind)
    return out.getvalue()


def _audits(services: Services, action: str) -> list[tuple[Any, Any]]:
    """(before, after) of each audit row of ``action``, oldest first."""
    with services.uow() as uow:
        return [
            (b, a)
            for b, a in uow.session.execute(
                select(AuditEntry.before, AuditEntry.after)
                .where(AuditEntry.action == action)
                .order_by(AuditEntry.id)
            )
        ]


def test_the_logo_is_stored_in_the_database_and_audited_without_the_picture(
    services: Services, admin: Actor
) -> None:
    png = _picture()
    stored = services.run(settings_logo.set_shop_logo, admin, png, "/home/me/shop.png")
    assert stored is not None and stored.file_name == "shop.png"
    again = services.run(settings_logo.shop_logo)
    assert again is not None and again.data == png and again.mime == "image/png"
    assert (again.width, again.height) == (300, 100)
    jpeg = _picture("JPEG")
    services.run(settings_logo.set_shop_logo, admin, jpeg, "shop.jpg")
    assert services.run(settings_logo.shop_logo).mime == "image/jpeg"  # type: ignore[union-attr]
    services.run(settings_logo.set_shop_logo, admin, None)
    assert services.run(settings_logo.shop_logo) is None
    rows = _audits(services, "settings.shop_logo")
    assert [after["logo"] for _b, after in rows] == ["shop.png", "shop.jpg", None]
    assert rows[1][0]["logo"] == "shop.png"
    assert all(len(json.dumps(row)) < 1000 for row in rows)  # no picture inside


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"just text, not a picture", "not a picture"),
        (_picture("GIF"), "GIF"),
        (_picture(size=(8, 8)), "8 x 8 pixels"),
        (b"\x89PNG" + b"0" * MAX_LOGO_BYTES, "KB"),
    ],
)
def test_a_logo_that_cannot_be_used_is_refused_with_the_reason_and_nothing_stored(
    services: Services, admin: Actor, data: bytes, words: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.run(settings_logo.set_shop_logo, admin, data, "x.png")
    assert words in refused.value.message
    assert services.run(settings_logo.shop_logo) is None
    assert _audits(services, "settings.shop_logo") == []


def test_a_packer_may_neither_change_the_logo_nor_read_the_settings(
    services: Services, admin: Actor
) -> None:
    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied):
        services.run(settings_logo.set_shop_logo, packer, _picture(), "shop.png")
    with pytest.raises(PermissionDenied):
        services.run(settings_view.warehouse_settings, packer)
    assert services.run(settings_logo.shop_logo) is None


def test_the_screen_reads_every_section_with_the_mail_password_hidden(
    services: Services, admin: Actor
) -> None:
    services.run(
        notice_settings.save_smtp_settings,
        admin,
        host="smtp.example.com",
        port=587,
        starttls=True,
        user="shop",
        password="s3cret-pass",
        from_address="shop@example.com",
    )
    services.run(settings_logo.set_shop_logo, admin, _picture(), "shop.png")
    data = services.run(settings_view.warehouse_settings, admin)
    assert data.smtp.host == "smtp.example.com" and data.smtp.password == HIDDEN
    assert data.retention_days == 180 and data.checks.duplicate_window_hours == 24
    assert data.logo is not None and data.logo.file_name == "shop.png"
    assert data.allocation.min_shelf_life_days == 0 and data.pack.slip_paper == "A4"
    audit = _audits(services, "settings.notices_smtp")
    assert audit and "s3cret-pass" not in json.dumps(audit)


def test_the_schema_status_names_the_database_revision_and_says_it_is_current(
    services: Services,
) -> None:
    status = services.run(settings_view.schema_status)
    assert status.current == script_heads() and status.up_to_date


def test_the_slip_prints_the_stored_logo_before_an_older_per_pc_file(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    old = tmp_path / "old.png"
    old.write_bytes(_picture(size=(50, 50)))
    with services.uow() as uow:
        assert settings_logo.logo_bytes(uow.session, str(old)) == old.read_bytes()
        assert settings_logo.logo_bytes(uow.session, "") is None
    png = _picture()
    services.run(settings_logo.set_shop_logo, admin, png, "shop.png")
    with services.uow() as uow:
        assert settings_logo.logo_bytes(uow.session, str(old)) == png

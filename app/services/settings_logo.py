"""The shop's logo, stored in the database (settings key ``shop.logo``) so that every station
prints the same one: on the packing slip (``pack_finish.slip_data``) and shown in Settings.

Before this, the packing settings kept a path to a file on one PC (``PackSettings.logo_path``);
that path is still read when no logo is stored, so an older set-up keeps printing its logo."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.db.models import SettingRow
from app.db.uow import UnitOfWork
from app.domain.settings_logo import LogoInfo, check_logo
from app.domain.users import Actor, Permission
from app.services.access import reads, writes
from app.services.notice_store import put_setting

LOGO_KEY = "shop.logo"


@dataclass(frozen=True)
class ShopLogo:
    """The stored logo: its bytes, what it is and the name of the file it came from."""

    data: bytes
    mime: str
    width: int
    height: int
    file_name: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def logo_in(session: Session) -> ShopLogo | None:
    """The stored logo, or None (none stored, or a stored value that cannot be read)."""
    row = session.get(SettingRow, LOGO_KEY)
    value = row.value if row is not None else None
    if not isinstance(value, dict) or not value.get("data"):
        return None
    try:
        data = base64.b64decode(str(value["data"]), validate=True)
    except ValueError:
        return None
    return ShopLogo(
        data,
        str(value.get("mime", "")),
        int(value.get("width", 0)),
        int(value.get("height", 0)),
        str(value.get("file_name", "")),
        str(value.get("sha256", "")),
    )


def logo_bytes(session: Session, legacy_path: str = "") -> bytes | None:
    """What the packing slip prints: the stored logo, else the older per-PC file if it exists."""
    stored = logo_in(session)
    if stored is not None:
        return stored.data
    if legacy_path and Path(legacy_path).is_file():
        return Path(legacy_path).read_bytes()
    return None


@reads
def shop_logo(uow: UnitOfWork) -> ShopLogo | None:
    """The shop's logo as every station sees it."""
    with uow:
        return logo_in(uow.session)


@writes(Permission.MANAGE_SETTINGS)
def set_shop_logo(
    uow: UnitOfWork, actor: Actor, picture: bytes | None, file_name: str = ""
) -> ShopLogo | None:
    """Store ``picture`` (PNG or JPEG, checked) as the shop's logo, or remove it (None). Audited
    with the file's name, size and checksum before and after (not the picture itself)."""
    info = check_logo(picture) if picture is not None else None
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        before = logo_in(uow.session)
        value: dict[str, Any] | None = None
        if picture is not None and info is not None:
            value = _stored(picture, info, Path(file_name).name)
        put_setting(uow.session, LOGO_KEY, value)
        uow.audit(
            actor,
            "settings.shop_logo",
            "setting",
            LOGO_KEY,
            before=_described(before),
            after=_described(logo_in_value(value)),
        )
        uow.commit()
        return logo_in_value(value)


def _stored(data: bytes, info: LogoInfo, file_name: str) -> dict[str, Any]:
    return {
        "data": base64.b64encode(data).decode("ascii"),
        "mime": info.mime,
        "width": info.width,
        "height": info.height,
        "file_name": file_name,
        "sha256": info.sha256,
    }


def logo_in_value(value: dict[str, Any] | None) -> ShopLogo | None:
    if value is None:
        return None
    return ShopLogo(
        base64.b64decode(value["data"]),
        value["mime"],
        value["width"],
        value["height"],
        value["file_name"],
        value["sha256"],
    )


def _described(logo: ShopLogo | None) -> dict[str, Any]:
    if logo is None:
        return {"logo": None}
    return {
        "logo": logo.file_name,
        "bytes": logo.size,
        "pixels": f"{logo.width}x{logo.height}",
        "sha256": logo.sha256,
    }

"""Saved column mappings for generic CSV and Excel files, chosen by name; and the preview of a
file's first rows the mapping editor shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.db.models import ImportProfile, utcnow
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.users import Actor, Permission
from app.importers import encoding
from app.importers.errors import UnknownProfile
from app.importers.generic import FIELDS, Field, Mapping
from app.importers.sources import Preview, preview
from app.services.access import reads, writes

__all__ = [
    "ENCODINGS",
    "FIELDS",
    "Field",
    "Mapping",
    "Preview",
    "ProfileInfo",
    "list_profiles",
    "load_mapping",
    "preview_file",
    "save_profile",
]

#: encodings the screen offers besides detection
ENCODINGS = encoding.CHOICES


@dataclass(frozen=True)
class ProfileInfo:
    id: int
    name: str
    format: str
    mapping: Mapping
    updated_at: datetime


@reads
def list_profiles(uow: UnitOfWork, actor: Actor) -> list[ProfileInfo]:
    with uow:
        uow.require(actor, Permission.IMPORT_ORDERS)
        return [
            _info(p)
            for p in uow.session.scalars(select(ImportProfile).order_by(ImportProfile.name))
        ]


@reads
def load_mapping(uow: UnitOfWork, name: str) -> Mapping:
    """The mapping saved as ``name``; ImportFileError naming the profiles there are."""
    with uow:
        p = uow.session.scalar(select(ImportProfile).where(ImportProfile.name == name.strip()))
        if p is None:
            names = list(uow.session.scalars(select(ImportProfile.name).order_by("name")))
            raise UnknownProfile(name=name, names=", ".join(names) or "(none saved yet)")
        return Mapping.from_json(p.mapping)


@writes(Permission.IMPORT_ORDERS)
def save_profile(
    uow: UnitOfWork, actor: Actor, name: str, mapping: Mapping, fmt: str = "csv"
) -> ProfileInfo:
    """Create or replace the profile ``name``; audited."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError("A profile name is 1 to 100 characters.")
    if fmt not in ("csv", "xlsx"):
        raise ValidationError("A column profile is for CSV or Excel (xlsx) files.")
    missing = mapping.missing()
    if missing:
        raise ValidationError(
            "Choose the columns for {missing} before saving the profile.",
            missing=", ".join(missing),
        )
    with uow:
        uow.require(actor, Permission.IMPORT_ORDERS)
        s = uow.session
        p = s.scalar(select(ImportProfile).where(ImportProfile.name == name))
        before = dict(p.mapping) if p else None
        if p is None:
            p = ImportProfile(name=name, format=fmt, mapping=mapping.to_json())
            s.add(p)
        else:
            p.format = fmt
            p.mapping = mapping.to_json()
            p.updated_at = utcnow()
        p.updated_by = actor.user_id
        s.flush()
        uow.audit(
            actor,
            "import_profile.save",
            "import_profile",
            name,
            before=before,
            after=mapping.to_json(),
        )
        uow.commit()
        return _info(p)


def _info(p: ImportProfile) -> ProfileInfo:
    return ProfileInfo(p.id, p.name, p.format, Mapping.from_json(p.mapping), p.updated_at)


def preview_file(
    actor: Actor,
    path: Path | str,
    *,
    encoding_name: str = "",
    delimiter: str = "",
    sheet: str = "",
    rows: int = 20,
) -> Preview:
    """The header and first rows of a file, its encoding and a guessed column mapping.
    Reads the file only (no database); ImportFileError when it cannot be read."""
    actor.require(Permission.IMPORT_ORDERS)
    return preview(
        Path(path), encoding_name=encoding_name, delimiter=delimiter, sheet=sheet, rows=rows
    )

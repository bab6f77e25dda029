"""Rules of the code's shape that import-linter cannot see."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _calls_named(tree: ast.AST, name: str) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == name
    ]


def test_the_ui_never_opens_a_unit_of_work_itself() -> None:
    """Screens and widgets call ``services.run(fn, ...)``; opening ``services.uow()`` in ui/
    would let a screen hold a session across a signal or a thread."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "ui").rglob("*.py"))
        for line in _calls_named(ast.parse(path.read_text(encoding="utf-8")), "uow")
    ]
    assert offenders == []


def test_the_project_refers_only_to_its_own_documents() -> None:
    """Maintainers' notes live in docs/; nothing points at files outside the repository."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    pattern = re.compile(r"(\.\./shared|shared/|\bSTYLE\.md|\bDEVICES\.md|\bDOMAIN\.md)")
    offenders = []
    for name in tracked:
        path = ROOT / name
        if (
            path.suffix not in {".py", ".md", ".toml", ".txt", ".cfg", ".ini", ""}
            or not path.is_file()
        ):
            continue
        if path.name == "test_architecture.py":
            continue
        for no, line in enumerate(
            path.read_text(encoding="utf-8", errors="replace").splitlines(), 1
        ):
            if pattern.search(line):
                offenders.append(f"{name}:{no}: {line.strip()[:80]}")
    assert offenders == []

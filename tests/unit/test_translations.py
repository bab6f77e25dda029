"""The Chinese translation is complete, current and compiled."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import i18n  # noqa: E402

TS = ROOT / "resources" / "translations" / "packdesk_zh_CN.ts"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def test_every_message_has_a_finished_chinese_translation_with_the_same_placeholders() -> None:
    todo = []
    for ctx, src, tr in i18n.messages(TS):
        text = (tr.text or "").strip()
        if not text or tr.get("type") == "unfinished":
            todo.append(f"{ctx}: {src}")
            continue
        assert sorted(PLACEHOLDER.findall(src)) == sorted(PLACEHOLDER.findall(text)), (src, text)
    assert todo == [], f"{len(todo)} messages need a translation (tools/i18n.py missing)"


def test_the_translation_file_lists_every_string_in_the_code(tmp_path: Path) -> None:
    assert i18n.CATALOG.read_text(encoding="utf-8") == i18n.catalog_text(), (
        "ui/i18n_catalog.py is stale: run python tools/i18n.py update"
    )
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [
            i18n._tool("pyside6-lupdate"),
            "-no-obsolete",
            "-locations",
            "none",
            *map(str, i18n.sources()),
            "-ts",
            str(fresh),
        ],
        check=True,
        capture_output=True,
    )
    in_code = {(c, s) for c, s, _ in i18n.messages(fresh)}
    in_ts = {(c, s) for c, s, _ in i18n.messages(TS)}
    assert in_code <= in_ts, f"not in the .ts, run tools/i18n.py update: {in_code - in_ts}"


def test_the_compiled_qm_matches_the_ts(tmp_path: Path) -> None:
    (built,) = i18n.build(tmp_path)
    shipped = TS.with_suffix(".qm")
    assert shipped.exists()
    if built.read_bytes() != shipped.read_bytes():
        pytest.fail("resources/translations/*.qm is stale: run python tools/i18n.py build")


def test_module_level_tr_helpers_find_their_translations(qapp: object) -> None:
    """lupdate files bare tr() calls under the empty context; the helpers must still find them."""
    import importlib

    from ui.i18n import install_language

    install_language(qapp, "zh_CN")  # type: ignore[arg-type]
    try:
        helpers = {
            "ui.errors": "Cannot do that",
            "ui.devices.texts": "Scanner: keyboard",
            "ui.widgets.print_jobs": "Shipping label",
            "ui.printing.system_printer": "the default printer",
        }
        for module, source in helpers.items():
            tr = importlib.import_module(module).tr
            assert tr(source) != source, f"{module}.tr({source!r}) is not translated"
    finally:
        install_language(qapp, "en")  # type: ignore[arg-type]


def test_a_printer_status_with_two_problems_is_translated_sentence_by_sentence(
    qapp: object,
) -> None:
    from app.devices.printers import parse_tspl_status
    from ui.i18n import install_language, printer_status_text

    status = parse_tspl_status(0x01 | 0x04)  # head open and out of paper
    install_language(qapp, "zh_CN")  # type: ignore[arg-type]
    try:
        text = printer_status_text(status.text)
    finally:
        install_language(qapp, "en")  # type: ignore[arg-type]
    assert text == "打印头已打开。请合上打印头。 打印机缺纸。请装入标签纸并按走纸键。"

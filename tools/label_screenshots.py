"""Render example labels and the print job list to docs/screenshots/labels/ (to look at).

ZPL is rendered offline by zplkit (a test-only dependency), PDF by pypdfium2, TSPL by the
emulator panel's previewer (app/labels/preview.py); the job list is grabbed offscreen.

    QT_QPA_PLATFORM=offscreen python tools/label_screenshots.py
"""

from __future__ import annotations

import io
import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
import zplkit  # noqa: E402
from PIL import Image  # noqa: E402

from app.labels import pdf, render, zpl  # noqa: E402
from app.labels.model import Label  # noqa: E402
from app.labels.shipping import Party, ShippingLabelData, shipping_label, test_label  # noqa: E402

OUT = ROOT / "docs" / "screenshots" / "labels"

DATA = ShippingLabelData(
    "SF Express 顺丰速运",
    "标快 Standard",
    "SF1403526873451",
    "PD-2024-000123",
    Party(
        "杭州好物旗舰店",
        "0571-88886666",
        province="浙江省",
        city="杭州市",
        district="余杭区",
        street="文一西路 998 号",
    ),
    Party(
        "张三丰",
        "13812345678",
        province="广东省",
        city="深圳市",
        district="南山区",
        street="科技园南区高新南一道 8 号 2 栋 1501 室",
    ),
    Decimal("1250"),
    date(2024, 5, 1),
)


def zpl_png(label: Label, path: Path) -> None:
    doc = zplkit.render(
        zpl.render(label),
        zplkit.Options(width=label.width_dots, height=label.height_dots, dpi=label.dpi),
    )
    Image.open(io.BytesIO(doc.labels[0].png())).save(path)


def pdf_png(label: Label, path: Path) -> None:
    page = pdfium.PdfDocument(pdf.render(label))[0]
    page.render(scale=label.dpi / 72).to_pil().save(path)


def tspl_png(label: Label, path: Path) -> None:
    from app.labels.preview import render_png

    path.write_bytes(render_png(render.render(label, "tspl"), "tspl", label.dpi))


def job_list(path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from app.bootstrap import bootstrap
    from app.config import Paths, Settings
    from app.devices.emulators.printer import PrinterEmulator
    from app.devices.printers import PrinterConfig, open_printer
    from app.services import auth, printing
    from ui.bus import Bus
    from ui.context import UiContext
    from ui.widgets.print_jobs import PrintJobsWidget

    app = QApplication.instance() or QApplication(sys.argv)
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-shots-"))
    services = bootstrap(
        Settings(db_url=f"sqlite:///{tmp / 'db.sqlite'}", station="bench-1"),
        Paths(tmp / "c", tmp / "d", tmp / "l"),
    )
    services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
    actor = services.run(auth.login, "admin", "correct-horse-9", services.station_id, "bench-1")
    emu = PrinterEmulator("zpl")
    emu.start()
    config = PrinterConfig("tcp", emu.address, "zpl", 203, "100x150mm")
    step = dict(station_id=services.station_id, status_timeout=0.3)
    for _ in range(2):
        services.run(printing.print_test_label, actor, config)
    printing.process_pending(services.uow, open_printer(config), **step)  # type: ignore[arg-type]
    services.run(printing.reprint, actor, 1, "label torn")
    emu.set_state(silent=True)
    services.run(printing.print_test_label, actor, config)
    printing.process_pending(services.uow, open_printer(config), **step)  # type: ignore[arg-type]
    emu.set_state(silent=False, paper_out=True)
    printing.process_pending(services.uow, open_printer(config), **step)  # type: ignore[arg-type]
    widget = PrintJobsWidget(UiContext(services, actor, Bus()))
    widget.resize(1100, 260)
    widget.view.selectRow(1)
    widget.show()
    app.processEvents()
    widget.grab().save(str(path))
    emu.stop()
    services.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in ("4x6in", "100x150mm", "76x130mm"):
        label = shipping_label(DATA, size, 203)
        zpl_png(label, OUT / f"shipping_{size}_zpl.png")
        pdf_png(label, OUT / f"shipping_{size}_pdf.png")
    tspl_png(shipping_label(DATA, "76x130mm", 203), OUT / "shipping_76x130mm_tspl.png")
    zpl_png(
        test_label("4x6in", 203, "ZPL printer at 10.0.0.5:9100", "zpl"), OUT / "test_label_zpl.png"
    )
    pdf_png(
        test_label("100x150mm", 300, "system printer", "pdf"), OUT / "test_label_pdf_300dpi.png"
    )
    job_list(OUT / "print_jobs.png")
    print(f"saved to {OUT}")


if __name__ == "__main__":
    main()

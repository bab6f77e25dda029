"""Draw Packdesk's icon (a parcel with a tick) and write it in the forms the installers need:
``packdesk.png`` (Linux menus, 256 px), ``packdesk.ico`` (Windows) and ``packdesk.icns``
(macOS). Run it again after changing the drawing: ``python packaging/icons/make_icons.py``."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SIZE = 1024


def draw(size: int = SIZE) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    s = size / 1024
    # the parcel: front face, top, tape
    d.rounded_rectangle((128 * s, 300 * s, 896 * s, 900 * s), radius=48 * s, fill="#c8873a")
    d.polygon(
        [(128 * s, 330 * s), (260 * s, 130 * s), (764 * s, 130 * s), (896 * s, 330 * s)],
        fill="#e0a458",
    )
    d.rectangle((452 * s, 130 * s, 572 * s, 900 * s), fill="#f3d9a4")
    # the tick: packed and checked
    d.ellipse(
        (560 * s, 560 * s, 960 * s, 960 * s), fill="#1f8f4e", outline="white", width=int(28 * s)
    )
    d.line(
        [(650 * s, 765 * s), (735 * s, 850 * s), (880 * s, 680 * s)],
        fill="white",
        width=int(56 * s),
        joint="curve",
    )
    return img


def main() -> None:
    img = draw()
    img.resize((256, 256), Image.Resampling.LANCZOS).save(HERE / "packdesk.png")
    img.save(
        HERE / "packdesk.ico",
        sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
    )
    img.save(HERE / "packdesk.icns")


if __name__ == "__main__":
    main()

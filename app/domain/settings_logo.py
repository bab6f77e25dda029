"""The shop's logo: a PNG or JPEG picture, checked before it is stored in the database (so that
every station prints the same one on its packing slips). Pure: Pillow reads the picture from
bytes, nothing touches a file or the database."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from app.domain.errors import ValidationError

#: the largest logo file accepted; a slip prints it at most 40 x 20 mm
MAX_LOGO_BYTES = 512 * 1024
#: the largest picture in pixels (a bigger one only slows every slip down)
MAX_LOGO_PIXELS = 2000
#: the smallest that still prints legibly
MIN_LOGO_PIXELS = 16
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


@dataclass(frozen=True)
class LogoInfo:
    """What was found in a logo file."""

    mime: str
    width: int
    height: int
    size: int
    sha256: str


def unreadable_logo(file_name: str) -> ValidationError:
    """The error for a chosen logo file that cannot be read (gone, no permission)."""
    return ValidationError("The file {file} cannot be read. Choose another one.", file=file_name)


def check_logo_size(size: int) -> None:
    """Refuse a logo file over ``MAX_LOGO_BYTES`` (checked before a big file is read)."""
    if size > MAX_LOGO_BYTES:
        raise ValidationError(
            "The logo file is {size_kb} KB; the largest allowed is {max_kb} KB. "
            "Save it smaller (for example 600 x 200 pixels) and choose it again.",
            size_kb=round(size / 1024),
            max_kb=MAX_LOGO_BYTES // 1024,
        )


def check_logo(data: bytes) -> LogoInfo:
    """The logo's kind and size; a ValidationError saying what to do when it cannot be used."""
    if not data:
        raise ValidationError("The logo file is empty. Choose a PNG or JPEG picture.")
    check_logo_size(len(data))
    try:
        with Image.open(io.BytesIO(data)) as picture:
            kind = picture.format or ""
            width, height = picture.size
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError("This file is not a picture. Choose a PNG or JPEG file.") from None
    if kind not in FORMATS:
        raise ValidationError(
            "The logo is a {kind} picture; choose a PNG or JPEG file.", kind=kind or "unknown"
        )
    if max(width, height) > MAX_LOGO_PIXELS or min(width, height) < MIN_LOGO_PIXELS:
        raise ValidationError(
            "The logo is {width} x {height} pixels; it must be {min_px} to {max_px} pixels "
            "on each side.",
            width=width,
            height=height,
            min_px=MIN_LOGO_PIXELS,
            max_px=MAX_LOGO_PIXELS,
        )
    return LogoInfo(FORMATS[kind], width, height, len(data), hashlib.sha256(data).hexdigest())

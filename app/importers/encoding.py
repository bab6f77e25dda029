"""Which text encoding a CSV file is in: UTF-8 (with or without BOM) or GB18030/GBK, the usual
encodings of Chinese platforms' exports; or the one the user chose.

The whole file is checked before anything is imported (in chunks; a 100,000-line file takes a few
tens of milliseconds), so a file is never half imported because of a bad byte at its end.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from app.importers.errors import (
    BadEncodingLine,
    CannotOpen,
    NotText,
    TruncatedText,
    UnknownEncoding,
)

CHUNK = 1 << 20
#: encodings offered in the screen; any Python codec name is accepted as well
CHOICES = ("utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "cp1252", "latin-1")


@dataclass(frozen=True)
class FileText:
    """What a pass over the bytes found: the encoding and roughly how many lines."""

    encoding: str
    lines: int
    #: how the encoding was decided, for the screen ("BOM", "detected", "chosen")
    how: str


def detect(path: Path) -> FileText:
    """Decide the encoding: a UTF-8 BOM, else valid UTF-8, else valid and plausible GB18030."""
    head = _read_head(path)
    if head.startswith(codecs.BOM_UTF8):
        return FileText("utf-8-sig", _check(path, "utf-8-sig"), "BOM")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return FileText("utf-16", _check(path, "utf-16"), "BOM")
    try:
        return FileText("utf-8", _check(path, "utf-8"), "detected")
    except (BadEncodingLine, TruncatedText):
        pass
    try:
        lines = _check(path, "gb18030", plausible=True)
    except (BadEncodingLine, TruncatedText, _Implausible):
        raise NotText(file=path.name) from None
    return FileText("gb18030", lines, "detected")


def check(path: Path, encoding: str) -> FileText:
    """The user's choice, checked over the whole file."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UnknownEncoding(encoding=encoding) from None
    return FileText(encoding, _check(path, encoding), "chosen")


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(4)
    except OSError as exc:
        raise CannotOpen(file=path.name, reason=exc.strerror or str(exc)) from None


class _Implausible(Exception):
    """Decodes as GB18030, but into text that is not Chinese."""


def _check(path: Path, encoding: str, *, plausible: bool = False) -> int:
    """Decode the whole file strictly; count lines. Raises ImportFileError naming the line."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lines = 0
    cjk = other = 0
    try:
        with path.open("rb") as f:
            while chunk := f.read(CHUNK):
                try:
                    text = decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    line = lines + chunk[: exc.start].count(b"\n") + 1
                    raise BadEncodingLine(line=line, file=path.name, encoding=encoding) from None
                lines += chunk.count(b"\n")
                if plausible:
                    n_cjk = len(_CJK.findall(text))
                    cjk += n_cjk
                    other += len(_NON_ASCII.findall(text)) - n_cjk
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise TruncatedText(file=path.name) from None
    except OSError as exc:
        raise CannotOpen(file=path.name, reason=exc.strerror or str(exc)) from None
    # Western (cp1252) text often decodes as GB18030 too, into rare characters: if most of the
    # non-ASCII text is not Chinese, the guess is wrong.
    if plausible and other > cjk:
        raise _Implausible()
    return lines + 1


#: CJK ideographs, CJK punctuation, full-width forms and the punctuation Chinese text uses
_CJK = re.compile(
    "[\u4e00-\u9fff\u3400-\u4dbf\u3000-\u303f\uff00-\uffef\u00b7\u2014\u2018\u2019\u201c\u201d\u2026]"
)
_NON_ASCII = re.compile("[^\x00-\x7f]")

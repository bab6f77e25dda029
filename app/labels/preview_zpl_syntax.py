"""ZPL II syntax for the preview: the command stream, field data escapes, graphic data."""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from app.labels import preview_symbols as sym
from app.labels.preview_base import MAX_SIDE, Report, to_int

_HEX_FIELD_END = re.compile(rb"[\^~]")
_CARET = re.compile(rb"\^")


@dataclass
class Token:
    """One command: ``^`` or ``~``, its two-letter name (``A`` for fonts), its raw parameters."""

    prefix: str
    name: str
    params: bytes
    offset: int

    @property
    def text(self) -> str:
        return self.params.decode("latin-1").replace("\r", "").replace("\n", "")

    def args(self) -> list[str]:
        return self.text.split(",")

    def arg(self, k: int) -> str | None:
        parts = self.args()
        return parts[k] if k < len(parts) and parts[k].strip() != "" else None


def tokens(data: bytes) -> Iterator[Token]:
    """Split a ZPL stream into commands; ``^FD`` data runs to the next ``^``."""
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        if c not in (0x5E, 0x7E):
            i += 1
            continue
        prefix = chr(c)
        if prefix == "^" and data[i + 1 : i + 2] in (b"A", b"a"):
            name, j = "A", i + 2
        else:
            name, j = data[i + 1 : i + 3].decode("latin-1").upper(), i + 3
        if name == "GF":
            end = _graphic_end(data, j)
        else:
            stop = _CARET if name in ("FD", "FV", "FX") else _HEX_FIELD_END
            m = stop.search(data, j)
            end = m.start() if m else n
        yield Token(prefix, name, data[j:end], i)
        i = max(end, i + 1)


def _graphic_end(data: bytes, j: int) -> int:
    """``^GFB``/``^GFC`` carry raw bytes (which may hold ``^``): skip the declared count."""
    head = data[j : j + 64].split(b",", 4)
    if len(head) == 5 and head[0].strip().upper() in (b"B", b"C"):
        count = to_int(head[1].decode("latin-1"), 0, 0, MAX_SIDE * MAX_SIDE // 8)
        start = j + sum(len(h) + 1 for h in head[:4])
        return min(len(data), start + count)
    m = _HEX_FIELD_END.search(data, j)
    return m.start() if m else len(data)


def unhex(data: bytes, char: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(data):
        if data[i : i + 1] == char and i + 2 < len(data) + 1:
            pair = data[i + 1 : i + 3]
            try:
                out += binascii.unhexlify(pair)
                i += 3
                continue
            except (binascii.Error, ValueError):
                pass
        out += data[i : i + 1]
        i += 1
    return bytes(out)


def split_fnc1(text: str) -> list[str | int]:
    out: list[str | int] = []
    for k, part in enumerate(text.split(">8")):
        if k:
            out.append(sym.FNC1)
        out.extend(part)
    return out


def qr_manual(rest: bytes) -> bytes:
    """Manual-mode QR data: one character-mode letter (N, A, K, or B with a 4-digit count)."""
    kind = rest[:1].upper()
    if kind == b"B":
        return rest[5:] if rest[1:5].isdigit() else rest[1:]
    return rest[1:] if kind in (b"N", b"A", b"K") else rest


_REPEAT_LOW = {chr(ord("G") + k): k + 1 for k in range(19)}
_REPEAT_HIGH = {chr(ord("g") + k): 20 * (k + 1) for k in range(20)}
_HEX = frozenset("0123456789ABCDEFabcdef")


def graphic_ascii(text: str, row_bytes: int, total: int, report: Report) -> bytes:
    """ASCII hex graphic data, with Zebra's compression (``G``-``z`` repeat counts, ``,`` ``!``
    ``:`` row shortcuts) and the ``:Z64:`` / ``:B64:`` base64 forms."""
    text = "".join(text.split())
    if text[:5].upper() in (":Z64:", ":B64:"):
        return _graphic_base64(text, total, report)
    row_chars = row_bytes * 2
    out = bytearray()
    row: list[str] = []
    prev = "0" * row_chars
    count = 0

    def flush(content: str) -> None:
        nonlocal prev
        out.extend(binascii.unhexlify(content))
        prev = content

    for ch in text:
        if len(out) >= total:
            break
        if ch in _REPEAT_LOW:
            count += _REPEAT_LOW[ch]
        elif ch in _REPEAT_HIGH:
            count += _REPEAT_HIGH[ch]
        elif ch in _HEX:
            row.extend(ch * max(count, 1))
            count = 0
            while len(row) >= row_chars:
                flush("".join(row[:row_chars]))
                row = row[row_chars:]
        elif ch in ",!":
            fill = "0" if ch == "," else "F"
            flush("".join(row).ljust(row_chars, fill)[:row_chars])
            row, count = [], 0
        elif ch == ":":
            flush(prev)
            row, count = [], 0
    if row and len(out) < total:
        flush("".join(row).ljust(row_chars, "0"))
    if len(out) < total:
        report.note("A ^GF graphic has less data than it declares; the rest is left white.")
    return bytes(out[:total])


def _graphic_base64(text: str, total: int, report: Report) -> bytes:
    body = text[5:].split(":", 1)[0]
    try:
        raw = base64.b64decode(body + "=" * (-len(body) % 4))
        if text[:5].upper() == ":Z64:":
            raw = zlib.decompressobj().decompress(raw, total)
    except (binascii.Error, ValueError, zlib.error):
        report.note("A ^GF graphic has broken base64 data and was left white.")
        return b""
    return raw

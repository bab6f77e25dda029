"""A JSON file of orders, read whole: what ``curl https://shop/wp-json/wc/v3/orders`` saves.

Accepted: a top-level array of orders; an object with an "orders" array; one order object; and
several of these one after the other (pages saved with ``>>`` into one file). The shop's error
answer ({"code": ..., "message": ...}) and anything else are refused with a clear message before
anything is written. Progress counts orders: ``row`` is the 1-based position of the order being
read, ``total_rows`` how many there are.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.importers import encoding
from app.importers.errors import (
    CannotOpen,
    EmptyFile,
    MalformedJson,
    NotAnOrderList,
    ShopAnswered,
)

JSON_SUFFIXES = (".json",)


def is_json(path: Path) -> bool:
    """A .json file, or one whose text starts with '[' or '{' (a download saved as .txt)."""
    if path.suffix.lower() in JSON_SUFFIXES:
        return True
    try:
        with path.open("rb") as f:
            head = f.read(256)
    except OSError:
        return False
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return head[:1] in (b"[", b"{")


class JsonOrders:
    """The orders of a JSON file, with the progress a table gives (one 'row' per order)."""

    def __init__(self, path: Path, encoding_name: str = "") -> None:
        self.file = path.name
        self.headers: list[str] = []
        text = encoding.check(path, encoding_name) if encoding_name else encoding.detect(path)
        self.encoding, self.encoding_how = text.encoding, text.how
        try:
            content = path.read_text(encoding=text.encoding)
        except OSError as exc:
            raise CannotOpen(file=path.name, reason=exc.strerror or str(exc)) from None
        self.orders = read_orders(content.removeprefix("\ufeff"), path.name)
        self.total_rows = max(len(self.orders), 1)
        self.row = 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        return iter(())  # not a table: the parser reads ``orders``

    def close(self) -> None:
        self.orders = []


def read_orders(text: str, file: str) -> list[Any]:
    """Every order of the text, in order; raises ImportFileError when it is not an order list."""
    decoder = json.JSONDecoder()
    out: list[Any] = []
    pos, end = 0, len(text)
    values = 0
    while True:
        while pos < end and text[pos].isspace():
            pos += 1
        if pos >= end:
            break
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise MalformedJson(
                file=file, line=exc.lineno, column=exc.colno, reason=exc.msg
            ) from None
        values += 1
        out += _orders_in(value, file)
    if not values:
        raise EmptyFile(file=file)
    return out


def _orders_in(value: Any, file: str) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        if isinstance(value.get("orders"), list):
            return list(value["orders"])
        if "line_items" in value:
            return [value]
        if "code" in value and "message" in value:
            raise ShopAnswered(file=file, answer=f"{value['code']}: {value['message']}")
        keys = ", ".join(str(k) for k in list(value)[:5])
        raise NotAnOrderList(file=file, found=f"an object with the keys {keys}")
    raise NotAnOrderList(file=file, found=f"the single value {json.dumps(value)[:40]}")

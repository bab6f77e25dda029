"""Matching a channel's line to our products through product mappings (平台货品对应). Pure.

A line is what the channel sold: its SKU, its listing or variant id and its title, as written.
It is matched, in this order:

1. a product whose SKU (or barcode) is the line's SKU -- decided before this module is asked;
2. a mapping by the line's SKU, 3. by its listing id, 4. by its title;

at each step the line's own channel's mapping first, then an every-channel one. Texts are
compared by ``match_key``: Unicode NFKC (full-width letters and digits become ordinary ones),
case folded, runs of white space made one space, ends trimmed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: what a mapping matches on, in the order lines are tried
MATCH_KINDS: tuple[str, ...] = ("sku", "listing_id", "title")
#: the longest match text kept
MATCH_TEXT_MAX = 300
_SPACES = re.compile(r"\s+")
_CENT = Decimal("0.01")


def match_key(text: str) -> str:
    """The form a listing's text is compared in."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


@dataclass(frozen=True)
class Part:
    """One product a listing stands for: ``units`` of it per unit of the listing."""

    product_id: int
    sku: str
    name: str
    units: int


@dataclass(frozen=True)
class Mapping:
    id: int
    #: None: every channel
    channel_id: int | None
    kind: str
    key: str
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Listing:
    """What the channel sold on a line, as written."""

    sku: str = ""
    listing_id: str = ""
    title: str = ""

    def match_keys(self) -> list[tuple[str, str]]:
        """(kind, key) to look for, in the order they are tried; empty texts left out."""
        out = []
        for kind, text in zip(MATCH_KINDS, (self.sku, self.listing_id, self.title), strict=True):
            key = match_key(text)
            if key:
                out.append((kind, key))
        return out

    def proposed(self) -> tuple[str, str]:
        """The kind and text a new mapping of this listing should match on: its SKU if it has
        one, else its listing id if any, else its title."""
        for kind, text in zip(MATCH_KINDS, (self.sku, self.listing_id, self.title), strict=True):
            if match_key(text):
                return kind, text.strip()
        return "title", self.title.strip()


class MappingIndex:
    """Mappings by (scope, kind, key), for matching many lines without a query each."""

    def __init__(self, mappings: Iterable[Mapping] = ()) -> None:
        self._by: dict[tuple[int | None, str, str], Mapping] = {}
        for m in mappings:
            self.add(m)

    def add(self, m: Mapping) -> None:
        self._by[(m.channel_id, m.kind, m.key)] = m

    def __len__(self) -> int:
        return len(self._by)

    def find(self, channel_id: int, listing: Listing) -> Mapping | None:
        """The mapping a line of ``channel_id`` selling ``listing`` is matched by, or None."""
        if not self._by:
            return None
        for kind, key in listing.match_keys():
            for scope in (channel_id, None):
                m = self._by.get((scope, kind, key))
                if m is not None:
                    return m
        return None


def part_prices(unit_price: Decimal, parts: Sequence[Part]) -> list[Decimal]:
    """The price of one unit of each part: the listing's price shared evenly among the units
    one listing stands for, rounded to the cent (a 6-pack at 59.90: 9.98 each)."""
    units = sum(p.units for p in parts) or 1
    each = (unit_price / units).quantize(_CENT, rounding=ROUND_HALF_UP)
    return [each for _ in parts]

"""Place names compared as a person would: "广东" is "广东省", "ＳＨＥＮＺＨＥＮ" is "Shenzhen".

A name is brought to Unicode NFKC (full-width letters and digits become half-width), its case
folded and its spaces collapsed; then the administrative suffix of a Chinese province, city or
district (省, 市, 自治区 and its ethnic forms, 特别行政区, 地区, 自治州, 盟, 区, 县, 旗) or an
English "province"/"city"/"district" is dropped, as long as a name of two characters or more
is left ("沙市" keeps its 市). Shipping rules and the carriers' sorting-code tables both use it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: longest first, so "维吾尔自治区" goes before "自治区" and "区"
_CN_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "地区",
    "省",
    "市",
    "盟",
    "区",
    "县",
    "旗",
)
_EN_SUFFIX = re.compile(r"\s+(province|city|district|shi|sheng)$")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """NFKC, case folded, spaces collapsed and trimmed: for codes, SKUs and words."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().casefold()


@lru_cache(maxsize=4096)
def place_key(name: str) -> str:
    """The name as compared: folded, without its administrative suffix."""
    key = _EN_SUFFIX.sub("", fold(name))
    for suffix in _CN_SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 2:
            return key[: -len(suffix)]
    return key


def postal_key(code: str) -> str:
    """A postal code or prefix as compared: half-width, upper case, no spaces or dashes."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", code or "")).upper()


def country_key(code: str) -> str:
    """A country code as compared: half-width, upper case ("ｃｎ" is "CN")."""
    return unicodedata.normalize("NFKC", code or "").strip().upper()

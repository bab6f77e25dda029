"""Country names in the operator's language, from the Unicode CLDR (the ``babel`` package, whose
data ships inside it: nothing is downloaded at run time).

Hold sentences keep countries as their English names with the code ("Germany (DE)") or as the
bare code ("DE"); a screen in another language shows the same country by its name in that
language ("德国 (DE)"). English sentences are left as they were stored.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError

#: "Germany (DE)" as ``CountryRules.display`` writes it, or a bare code "DE"
_NAMED = re.compile(r"(?P<name>.+) \((?P<code>[A-Z]{2})\)")
_CODE = re.compile(r"[A-Z]{2}")


@lru_cache(maxsize=16)
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def country_name(code: str, language: str) -> str:
    """The country's name in ``language`` ("zh_CN", "en"...); the code itself when unknown."""
    return _territories(language).get(code.upper(), code)


def country_in(value: str, language: str) -> str:
    """A country as a hold sentence names it, in ``language``: "Germany (DE)" and "DE" become
    "德国 (DE)" in Chinese. English, and anything that is not a country code (a country as the
    customer wrote it, which was not understood), stay as written."""
    if language.split("_")[0] == "en":
        return value
    m = _NAMED.fullmatch(value)
    code = m.group("code") if m else value if _CODE.fullmatch(value) else ""
    if not code:
        return value
    name = country_name(code, language)
    return f"{name} ({code})" if name != code else value

"""Demo customers: Chinese and English names, mobile numbers and delivery addresses that pass
the checks real orders must pass (11-digit mainland mobiles, valid foreign numbers and postcodes).
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate

from app.services.demo import words

_SURNAME_CUM = list(accumulate(1.0 / (i + 8) for i in range(len(words.CN_SURNAMES))))
_PLACE_CUM = list(accumulate(words.CN_PLACE_WEIGHTS))
_COUNTRIES = list(words.EN_PLACES)
_COUNTRY_CUM = list(accumulate(words.EN_PLACES[c][0] for c in _COUNTRIES))
_GIVEN = words.CN_GIVEN


@dataclass(frozen=True)
class Person:
    """A customer and where the parcel goes."""

    name: str
    phone: str
    email: str
    country: str
    province: str
    city: str
    district: str
    street: str
    street2: str
    postal_code: str
    currency: str

    @property
    def phone_digits(self) -> str:
        return _digits(self.phone)


def _digits(text: str) -> str:
    if text.isdigit():
        return text
    return "".join(ch for ch in text if ch.isdigit())


def chinese_person(rng: random.Random) -> Person:
    r = rng.random
    surname = words.CN_SURNAMES[bisect(_SURNAME_CUM, r() * _SURNAME_CUM[-1])]
    given = _GIVEN[int(r() * len(_GIVEN))]
    if r() < 0.6:
        given += _GIVEN[int(r() * len(_GIVEN))]
    prefix = words.CN_MOBILE_PREFIXES[int(r() * len(words.CN_MOBILE_PREFIXES))]
    rest = f"{int(r() * 100_000_000):08d}"
    phone = f"{prefix}{rest}"
    if r() < 0.05:  # some shops export numbers with the country code
        phone = f"+86 {prefix} {rest[:4]} {rest[4:]}"
    province, city, districts = words.CN_PLACES[bisect(_PLACE_CUM, r() * _PLACE_CUM[-1])]
    district, postal = districts[int(r() * len(districts))]
    road = words.CN_ROADS[int(r() * len(words.CN_ROADS))]
    number = 1 + int(r() * 999)
    floor = 1 + int(r() * 32)
    room = f"{floor}{1 + int(r() * 6):02d}"
    if r() < 0.72:
        compound = words.CN_COMPOUNDS[int(r() * len(words.CN_COMPOUNDS))]
        block, unit = 1 + int(r() * 24), 1 + int(r() * 4)
        street = f"{road}{number}号{compound}{block}栋{unit}单元{room}室"
    else:
        tower = words.CN_TOWERS[int(r() * len(words.CN_TOWERS))]
        street = f"{road}{number}号{tower}{floor}楼{room}室"
    return Person(
        f"{surname}{given}", phone, "", "CN", province, city, district, street, "", postal, "CNY"
    )


def english_person(rng: random.Random) -> Person:
    r = rng.random
    country = _COUNTRIES[bisect(_COUNTRY_CUM, r() * _COUNTRY_CUM[-1])]
    _, currency, places = words.EN_PLACES[country]
    city, region, pattern = places[int(r() * len(places))]
    first = words.EN_FIRST[int(r() * len(words.EN_FIRST))]
    last = words.EN_LAST[int(r() * len(words.EN_LAST))]
    streets = words.EN_STREETS[country]
    street = streets[int(r() * len(streets))].format(n=1 + int(r() * 480))
    street2 = ""
    if r() < 0.3:
        street2 = words.EN_STREET2[int(r() * len(words.EN_STREET2))].format(n=1 + int(r() * 40))
    local = f"{first}.{last}".lower().encode("ascii", "ignore").decode().replace("'", "")
    email = f"{local}{int(r() * 100)}@example.com"
    return Person(
        f"{first} {last}",
        _foreign_phone(rng, country, city),
        email,
        country,
        region,
        city,
        "",
        street,
        street2,
        _postcode(rng, pattern),
        currency,
    )


def _foreign_phone(rng: random.Random, country: str, city: str) -> str:
    prefixes, n = words.EN_PHONES[country]
    head = rng.choice(prefixes)
    if country == "US":  # exchange codes start 2-9 and are not N11 or 555
        while True:
            exchange = rng.randint(200, 999)
            if exchange % 100 != 11 and exchange != 555:
                break
        line = rng.randint(0, 9999)
        return f"+1 ({words.US_AREA_CODES[city]}) {exchange}-{line:04d}"
    digits = "".join(str(rng.randrange(10)) for _ in range(n))
    cc = {"GB": "44", "DE": "49", "AU": "61"}[country]
    national = head[len(cc) :] + digits
    if country == "GB":
        return f"+44 {national[:4]} {national[4:]}"
    if country == "DE":
        return f"+49 {national[:3]} {national[3:]}"
    return f"+61 {national[:3]} {national[3:6]} {national[6:]}"


def _postcode(rng: random.Random, pattern: str) -> str:
    out = []
    for ch in pattern:
        if ch == "#":
            out.append(str(rng.randrange(10)))
        elif ch == "@":
            out.append(rng.choice(words.UK_INWARD_LETTERS))
        else:
            out.append(ch)
    return "".join(out)

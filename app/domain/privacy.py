"""Masking of personal data, after China's e-waybill rule: hide at least one character of the
name, at least six digits of the phone and everything of the address but the road and the house
number. Each sales channel chooses a policy (:class:`MaskPolicy`); :func:`mask_recipient` applies
it for every screen, label and slip. docs/privacy.md describes the rules."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers

_MASK = "*"


def mask_name(name: str) -> str:
    """'张三丰' -> '张*丰', '李四' -> '李*', 'John Smith' -> 'J*** S****'."""
    name = name.strip()
    if not name:
        return ""
    if " " in name:
        return " ".join(
            part[0] + _MASK * (len(part) - 1) if len(part) > 1 else _MASK for part in name.split()
        )
    if len(name) == 1:
        return _MASK
    if len(name) == 2:
        return name[0] + _MASK
    return name[0] + _MASK * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """Hide at least six digits, keeping the first three and the last two at most:
    '13812345678' -> '138******78'. An international prefix ('+86 ') is kept as it is and
    not counted, so '+86 138 1234 5678' -> '+86 138 **** **78'."""
    if phone.isdigit():  # the common case, a plain number: by slicing
        n = len(phone)
        hide = min(max(6, n - 5), n)
        head = max(0, min(3, (n - hide) // 2 + (n - hide) % 2))
        return phone[:head] + _MASK * hide + phone[head + hide :]
    prefix = _country_prefix(phone)
    if prefix:
        return phone[:prefix] + mask_phone(phone[prefix:])
    digits = [i for i, ch in enumerate(phone) if ch.isdigit()]
    if not digits:
        return phone
    n = len(digits)
    hide = max(6, n - 5)
    keep_head = max(0, min(3, (n - hide) // 2 + (n - hide) % 2))
    to_hide = set(digits[keep_head : keep_head + min(hide, n)])
    return "".join(_MASK if i in to_hide else ch for i, ch in enumerate(phone))


def _country_prefix(phone: str) -> int:
    """Length of a leading '+CC' (and the separator after it), or 0."""
    text = phone.lstrip()
    if not text.startswith("+"):
        return 0
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return 0
    cc = str(number.country_code)
    m = re.match(r"\s*\+" + cc + r"[\s\-.]*(\(0\))?[\s\-.]*", phone)
    return m.end() if m else 0


# --- the street line -----------------------------------------------------------------------------
#
# A street line is read from the left. What the courier needs is kept: the road and the house
# number (Chinese "科技园路1号", English "12 High Street", French "Rue de Rivoli 12", German
# "Hauptstraße 5") or, when there is no house number, the name before the first digit
# ("阳光小区"). Everything after that is replaced by one MASKED_REST, whatever it is: building,
# unit, floor, room, or words that are not understood. A second address line is the apartment
# line by nature and is masked whole.

#: what stands for the hidden part of a street line (its length tells nothing)
MASKED_REST = _MASK * 4

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: road + house number: 科技园路1号, 长乐路100弄5号, 南京东路100-102号 (not "1号楼": a building)
_CN_ROAD_NUMBER = re.compile(
    r"^\D*?(?:大道|大街|公路|胡同|路|街|道|巷|弄)\s*(?:\d+\s*弄\s*)?"
    r"\d+(?:\s*[-－—]\s*\d+)?\s*[号號](?![楼樓])"
)
#: a building, unit, floor or room written with Chinese numerals or letters: 二栋, 三单元, A座
_CN_UNIT = re.compile(
    r"[零〇一二三四五六七八九十百千两甲乙丙丁A-Za-zＡ-Ｚａ-ｚ]+\s*"
    r"(?:号楼|號樓|栋|棟|幢|座|单元|單元|室|楼|樓|层|層|户|戶)"
)
#: where a Chinese name stops: a digit, a Latin letter or a separator
_CN_STOP = re.compile(r"[\dA-Za-zＡ-Ｚａ-ｚ#＃\-－—/(（,，、]")

_FLOOR_WORDS = r"floor|fl\.?|étage|etage|og|obergeschoss|stock|etg\.?"
#: building / unit / floor / room words of English, French and German addresses; where one
#: starts (with the floor number written before it: "3rd floor", "3e étage", "3. OG"), the
#: street part ends
_LATIN_UNIT = re.compile(
    r"(?:(?<![\w])\d+\s*(?:st|nd|rd|th|e|er|re|ère|eme|ème|\.)\s*(?:" + _FLOOR_WORDS + r")(?!\w))"
    r"|(?:(?<![\w])(?:flat|apartment|apartments|apt|appt|appartement|suite|room|unit|units"
    r"|floor|level|building|bldg|block|blk|tower|wohnung|whg|zimmer|stockwerk|stiege|tür"
    r"|bâtiment|batiment|bât|bat(?=\.)|étage|etage|escalier|esc(?=\.)|rdc|rez-de-chaussée"
    r"|erdgeschoss|dachgeschoss|obergeschoss)(?!\w))"
    r"|(?:(?<![\w])(?:ste|rm|fl|lvl|porte|app|top|og)\.?\s*\d)"
    r"|#",
    re.IGNORECASE,
)
_HOUSE = r"\d{1,5}(?:\s?[a-zA-Z](?![^\W\d_]))?"
#: words of a street name; numbers only as ordinals ("5th Avenue", "W 42nd St")
_WORDS = r"(?:[^\W\d_]|\d+(?:st|nd|rd|th)(?!\w))(?:[^\d,;/#]|\d+(?:st|nd|rd|th)(?!\w))*"
#: "12 High Street", "12 bis rue de Rivoli", "4B Elm St", "725 5th Avenue"
_NUMBER_FIRST = re.compile(r"^\s*" + _HOUSE + r"(?!\w)\s+" + _WORDS, re.IGNORECASE)
#: "Rue de Rivoli 12", "Hauptstraße 5a" ("5/3": house 5, flat 3)
_NUMBER_LAST = re.compile(r"^\s*" + _WORDS + r"?\s" + _HOUSE + r"(?![\w-])", re.IGNORECASE)


def mask_street(street: str) -> str:
    """The street line with everything but the road and the house number hidden.

    Chinese (any line with a Chinese character):
      - road + house number and what comes before it is kept, the rest masked:
        "科技园南路88号3栋1单元502室" -> "科技园南路88号****";
      - without one, the name up to the first digit, letter or building word is kept:
        "阳光小区5-2-1203" -> "阳光小区****", "幸福花园B座1203" -> "幸福花园****";
      - a line that starts with a building or room is masked whole: "3号楼2单元501室" -> "****".
    Other lines are read in comma-separated parts, up to the first building, unit, floor or room
    word (Flat, Apartment, Apt, Unit, Suite, Room, #, floor, Bât., étage, porte, Wohnung, Whg.,
    OG...). The first part that is a house number and a street, or a street and a house number,
    is kept; the parts before it and everything after the house number are masked:
      "12 High Street Flat 3" -> "12 High Street ****",
      "Flat 3, 12 High Street" -> "****, 12 High Street",
      "Rue de Rivoli 12, Bât. A, 3e étage, porte 12" -> "Rue de Rivoli 12, ****".
    When no part is understood, the words before the first digit or unit word are kept and the
    rest is masked. A line without any of these ("Rue de Rivoli") is shown as it is.
    """
    text = street.strip()
    if not text:
        return ""
    if _CJK.search(text):
        keep = _chinese_street(text)
    else:
        return _latin_street(text)
    return _joined(keep, text[len(keep) :])


def _joined(keep: str, rest: str) -> str:
    """``keep`` then the mask for ``rest`` (nothing when ``rest`` is blank)."""
    if not rest.strip(" ,;，、"):
        return keep.rstrip(" ,;，、") if keep.strip() else keep
    keep = keep.rstrip()
    if not keep:
        return MASKED_REST
    if _CJK.search(keep[-1]):
        return keep + MASKED_REST
    sep = ", " if rest.lstrip().startswith((",", ";")) or keep.endswith(",") else " "
    return keep.rstrip(" ,;") + sep + MASKED_REST


def _chinese_street(text: str) -> str:
    """The part of a Chinese street line to keep (a prefix of ``text``)."""
    m = _CN_ROAD_NUMBER.match(text)
    keep = m.group(0) if m else text[: _first(_CN_STOP, text)]
    unit = _CN_UNIT.search(keep)
    if unit:
        keep = keep[: unit.start()]
    return keep


def _first(pattern: re.Pattern[str], text: str) -> int:
    m = pattern.search(text)
    return m.start() if m else len(text)


def _latin_street(text: str) -> str:
    parts = re.split(r"(?<=[,;])", text)  # each part keeps its trailing comma
    for i, part in enumerate(parts):
        head = part[: _first(_LATIN_UNIT, part)]
        m = _NUMBER_FIRST.match(head) or _NUMBER_LAST.match(head)
        if m:
            keep = m.group(0).strip()
            before = MASKED_REST + ", " if i else ""
            return _joined(before + keep, part[m.end() :] + "".join(parts[i + 1 :]))
    head = text[: min(_first(_LATIN_UNIT, text), _first(re.compile(r"[\d,;/]"), text))]
    return _joined(head, text[len(head) :])


def mask_street2(street2: str) -> str:
    """The second address line is the apartment line: hidden whole."""
    return MASKED_REST if street2.strip() else ""


# --- the policy of a sales channel ---------------------------------------------------------------


class MaskPolicy(StrEnum):
    """How a sales channel's recipients are shown on screens, labels and slips.

    - ``ewaybill`` (the default): the name, the phone and the building/unit/room are hidden,
      after China's e-waybill rule (个人信息保护, 隐私面单).
    - ``full_name``: the name is shown in full; the phone and the building/unit/room are hidden.
    - ``none``: nothing is hidden, for business customers (B2B) whose addresses are offices.

    The policy changes what is displayed and printed only: the stored data, files for carriers
    and exports always carry the real values.
    """

    EWAYBILL = "ewaybill"
    FULL_NAME = "full_name"
    NONE = "none"

    @classmethod
    def of(cls, value: str | None) -> MaskPolicy:
        """The policy stored for a channel; anything unknown is the strictest, ``ewaybill``."""
        try:
            return cls(value or cls.EWAYBILL)
        except ValueError:
            return cls.EWAYBILL


@dataclass(frozen=True)
class Recipient:
    """A recipient as shown: each field masked or not according to the policy."""

    name: str
    phone: str
    street: str
    street2: str
    #: something was hidden
    masked: bool


def mask_recipient(
    policy: MaskPolicy | str | None, name: str, phone: str, street: str, street2: str = ""
) -> Recipient:
    """The recipient as the channel's policy lets screens, labels and slips show it."""
    policy = MaskPolicy.of(policy)
    if policy is MaskPolicy.NONE:
        return Recipient(name, phone, street, street2, masked=False)
    return Recipient(
        name if policy is MaskPolicy.FULL_NAME else mask_name(name),
        mask_phone(phone),
        mask_street(street),
        mask_street2(street2),
        masked=True,
    )


# --- lookup keys ---------------------------------------------------------------------------------


def customer_key_texts(email: str, phone_digits: str, name: str) -> list[str]:
    """What finds a returning customer, best first: the e-mail address, else the phone number
    (digits, at least seven) with the name. These are never stored: see :func:`lookup_key`."""
    keys = []
    email = email.strip().lower()
    if email:
        keys.append("e:" + email)
    name = name.strip().lower()
    if len(phone_digits) >= 7 and name:
        keys.append(f"p:{phone_digits}:{name}")
    return keys


def lookup_key(secret: bytes, text: str) -> str:
    """A keyed hash (HMAC-SHA256, hex) of a lookup text. Without the database's secret, trying
    every phone number of a country does not find whose key it is."""
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()

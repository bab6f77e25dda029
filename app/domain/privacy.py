"""Masking of personal data, after China's e-waybill rule: hide at least one character of the
name, at least six digits of the phone and the room/unit part of the address."""

from __future__ import annotations

import re

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


_ROOM = re.compile(
    r"(\d+\s*(号楼|栋|幢|单元|室|楼|层|房)|room\s*\w+|apt\.?\s*\w+|unit\s*\w+|suite\s*\w+|#\s*\w+)",
    re.IGNORECASE,
)


def mask_street(street: str) -> str:
    """Hide the room/unit/building details of a street line, keep the road for sorting."""
    masked = _ROOM.sub(lambda m: _MASK * max(2, min(len(m.group(0)), 4)), street)
    return masked

"""Recipients the sales platform keeps from the seller. Pure rules, no database.

Since 2020-2022 Pinduoduo, Douyin (抖店), JD and Taobao hand sellers a masked or encrypted
recipient: ``张**`` or ``张*三`` for the name, ``138****1234`` for the phone, a ciphertext such as
``#Zm9vYmFy...#`` (name), ``$...$`` (phone) or ``~...~`` (address), or a virtual number with an
extension (``13800138000-1234``, ``13800138000转1234``) that forwards to the buyer. Such an order
ships with the platform's own e-waybill (电子面单), which prints the real recipient: the order is
imported as given, flagged, and not held as a bad phone or name. Masked values are stored as
written; there is nothing here to reveal.
"""

from __future__ import annotations

import re
from functools import lru_cache

_MASK_CHARS = "*＊"
#: a Chinese mobile with an extension: the platform's virtual number (隐私号/虚拟号) + 分机号
_VIRTUAL = re.compile(
    r"^\s*(?:\+?86[\s-]?)?1[3-9]\d{9}\s*(?:-|－|转|ext\.?|x|#|,|，)\s*\d{1,6}\s*$", re.IGNORECASE
)
#: ciphertext wrapped the way Douyin/JD/Youzan write it: #...#, ~...~, $...$ (also $..$1$)
_WRAPPED = re.compile(r"^\s*([#~$])\1?[^\s#~$]{6,}[#~$].*$")
#: placeholders written instead of the ciphertext ("##密文", "$$密文", "加密数据")
_CIPHER_WORDS = ("密文", "加密", "已加密", "隐私保护")
#: a long unbroken run of base64 or hex characters with letters and digits
_OPAQUE = re.compile(r"^[A-Za-z0-9+/=_-]{24,}$")


def is_masked(value: str) -> bool:
    """Asterisks stand for hidden characters: 张**, 张*三, 138****1234, ****."""
    return any(ch in value for ch in _MASK_CHARS)


#: a word of the value that may be ciphertext (checked by ``_cipher_token``): found in one pass
_CANDIDATE = re.compile(r"(?<!\S)(?:[#~$]\S{7,}|[A-Za-z0-9+/=_-]{24,})(?!\S)")


def is_encrypted(value: str) -> bool:
    """A ciphertext (wrapped, a long base64/hex run) or the platform's word for one."""
    v = value.strip()
    if not v:
        return False
    if any(w in v for w in _CIPHER_WORDS):
        return True
    # every address and name of every import comes here: most have no candidate word at all
    return any(_cipher_token(m.group()) for m in _CANDIDATE.finditer(v))


def _cipher_token(t: str) -> bool:
    if _WRAPPED.match(t):
        return True
    return bool(_OPAQUE.match(t)) and any(c.isdigit() for c in t) and any(c.isalpha() for c in t)


def is_virtual_number(phone: str) -> bool:
    """A platform's virtual number with its extension (13800138000-1234, 13800138000转1234)."""
    return bool(_VIRTUAL.match(phone))


def phone_is_protected(phone: str) -> bool:
    """The phone is the platform's stand-in, not the buyer's number as typed."""
    return is_masked(phone) or is_encrypted(phone) or is_virtual_number(phone)


def name_is_protected(name: str) -> bool:
    return is_masked(name) or is_encrypted(name)


@lru_cache(maxsize=4096)  # one order asks up to three times (checks, customer, order row)
def is_protected(name: str, phone: str, street: str = "", *, flagged: bool = False) -> bool:
    """Whether the platform protects this recipient: a masked or encrypted name, phone or
    street, a virtual number, or the file says so (``flagged``: an oaid or 加密 column)."""
    return (
        flagged
        or name_is_protected(name)
        or phone_is_protected(phone)
        or is_masked(street)
        or is_encrypted(street)
    )

"""Recipients the platform masks or encrypts are recognised; ordinary ones are not."""

from __future__ import annotations

import pytest

from app.domain.protected_recipients import (
    is_encrypted,
    is_protected,
    is_virtual_number,
    name_is_protected,
    phone_is_protected,
)


@pytest.mark.parametrize(
    "name", ["张**", "张*三", "**", "王＊＊", "#6aGk5rWL6K+V5pWw5o2u#", "##密文"]
)
def test_masked_and_encrypted_names_are_protected(name: str) -> None:
    assert name_is_protected(name)


@pytest.mark.parametrize("name", ["张三", "欧阳娜娜", "John Smith", "O'Brien", ""])
def test_ordinary_names_are_not_protected(name: str) -> None:
    assert not name_is_protected(name)


@pytest.mark.parametrize(
    "phone",
    [
        "138****1234",
        "1**********",
        "****",
        "$$密文",
        "$MTM4MDAxMzgwMDAxMjM0NTY3ODkw$",
        "$eTS8t8hAECdXKgNtV6DIfw==$1$",
        "13800138000-1234",
        "13800138000转1234",
        "+86 13800138000 ext 88",
    ],
)
def test_masked_encrypted_and_virtual_phones_are_protected(phone: str) -> None:
    assert phone_is_protected(phone)


@pytest.mark.parametrize(
    "phone", ["13800138000", "+86 138 0013 8000", "010-62345678", "0755-2345-6789", "", "555-0142"]
)
def test_ordinary_phones_are_not_protected(phone: str) -> None:
    assert not phone_is_protected(phone)


def test_a_virtual_number_needs_a_mobile_and_an_extension() -> None:
    assert is_virtual_number("13800138000-1234")
    assert not is_virtual_number("13800138000")
    assert not is_virtual_number("010-62345678")


@pytest.mark.parametrize(
    "street",
    [
        "~QmVpamluZyBDaGFveWFuZyBEaXN0cmljdA==~",
        "a3f1c9e0b7d24e6f8a1b2c3d4e5f6a7b",
        "石牌街道 ~Pz9VuBiMJc8a8+Yl0mYp6g==~",
    ],
)
def test_encrypted_streets_are_recognised(street: str) -> None:
    assert is_encrypted(street)


@pytest.mark.parametrize(
    "street",
    ["文三路90号东部软件园3号楼502室", "1600 Amphitheatre Parkway", "Room 12#3", "ABCDEFGH"],
)
def test_ordinary_streets_are_not_taken_for_ciphertext(street: str) -> None:
    assert not is_encrypted(street)


def test_a_recipient_is_protected_by_any_protected_part_or_by_the_file() -> None:
    assert is_protected("张**", "13800138000")
    assert is_protected("张三", "138****1234")
    assert is_protected("张三", "13800138000", "~QmVpamluZyBDaGFveWFuZw12==~")
    assert is_protected("张三", "13800138000", flagged=True)
    assert is_protected("张三", "13800138000", "人民中路一段12号**")
    assert not is_protected("张三", "13800138000", "文三路90号")

from app.domain.barcodes import gs1_check_digit, is_valid_gtin, with_check_digit
from app.domain.privacy import mask_name, mask_phone, mask_street


def test_names_hide_at_least_one_character() -> None:
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("李四") == "李*"
    assert mask_name("王") == "*"
    assert mask_name("John Smith") == "J*** S****"


def test_phones_hide_at_least_six_digits() -> None:
    masked = mask_phone("13812345678")
    assert masked == "138******78"
    for phone in ["13812345678", "+86 138 1234 5678", "0755-12345678", "555-0100", "12345"]:
        out = mask_phone(phone)
        hidden = sum(1 for a, b in zip(phone, out, strict=True) if a != b)
        assert hidden >= min(6, sum(c.isdigit() for c in phone)), (phone, out)


def test_room_and_unit_are_hidden_from_the_street() -> None:
    out = mask_street("科技园南路88号3栋1单元502室")
    assert "502室" not in out and "1单元" not in out and "科技园南路" in out
    assert "Apt 4B" not in mask_street("12 High Street, Apt 4B")


def test_gs1_check_digits() -> None:
    assert gs1_check_digit("400638133393") == "1"  # EAN-13 4006381333931
    assert with_check_digit("0001234560001") == "00012345600012"
    assert is_valid_gtin("4006381333931") and not is_valid_gtin("4006381333932")


def test_an_international_prefix_is_kept_and_six_national_digits_are_hidden() -> None:
    assert mask_phone("+86 138 1234 5678") == "+86 138 **** **78"
    assert mask_phone("+8613812345678") == "+86138******78"
    out = mask_phone("+1 (305) 555-0123")
    assert out.startswith("+1 ") and sum(ch == "*" for ch in out) >= 6


def test_the_street_number_stays_visible_for_the_courier() -> None:
    out = mask_street("科技园南路88号3栋1单元502室")
    assert out.startswith("科技园南路88号")


def test_plain_numbers_are_masked_as_numbers_with_separators_are() -> None:
    # a plain number takes a quicker path: the same digits hidden as in "1 2 3 ..." form
    for n in range(1, 21):
        digits = "".join(str((i * 7 + 3) % 10) for i in range(n))
        spaced = " ".join(digits)
        assert mask_phone(digits) == mask_phone(spaced).replace(" ", "")

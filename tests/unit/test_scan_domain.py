"""Scan rules without a database: AIM ids, garbled text, GS1 data, command barcodes, patterns."""

from __future__ import annotations

import calendar
import string
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.barcodes import with_check_digit
from app.domain.errors import ValidationError
from app.domain.scans import (
    GS,
    BrokenGs1,
    Command,
    InvalidScan,
    ScanPatterns,
    check_readable,
    command_text,
    gtin_equivalents,
    parse_command,
    parse_gs1,
    printable,
    split_symbology,
    standard_command_barcodes,
    strip_framing,
)

GTIN = "09506000134352"


def test_aim_symbology_identifier_is_split_from_the_data() -> None:
    assert split_symbology("]C1" + "0109506000134352") == ("]C1", "0109506000134352")
    assert split_symbology("]E05901234123457") == ("]E0", "5901234123457")
    assert split_symbology("A-01-02") == ("", "A-01-02")
    assert split_symbology("]") == ("", "]")


def test_trailing_framing_is_dropped_but_a_gs_inside_is_kept() -> None:
    assert strip_framing("01" + GTIN + "10AB" + GS + "21X\r\n") == "01" + GTIN + "10AB" + GS + "21X"


def test_gs1_128_with_lot_serial_and_expiry_is_parsed() -> None:
    data = parse_gs1("01" + GTIN + "10LOT-7" + GS + "17270315" + "21SN123", "]C1")
    assert data is not None
    assert data.gtin == GTIN and data.gtin13 == GTIN[1:]
    assert data.lot == "LOT-7" and data.serial == "SN123"
    assert data.expiry == date(2027, 3, 15)
    assert data.hri() == f"(01){GTIN}(10)LOT-7(17)270315(21)SN123"


def test_expiry_day_00_means_the_last_day_of_the_month() -> None:
    feb = parse_gs1("01" + GTIN + "17280200", "]C1")
    nov = parse_gs1("01" + GTIN + "17271100", "]C1")
    assert feb is not None and feb.expiry == date(2028, 2, 29)  # leap year
    assert nov is not None and nov.expiry == date(2027, 11, 30)


def test_sscc_is_read_from_ai_00_and_from_18_plain_digits() -> None:
    sscc = "376130321109103420"
    assert (data := parse_gs1("00" + sscc, "]C1")) is not None and data.sscc == sscc
    assert (plain := parse_gs1(sscc)) is not None and plain.sscc == sscc and not plain.gtin


def test_digital_link_uri_gives_the_same_data_as_the_element_string() -> None:
    uri = f"https://id.gs1.org/01/{GTIN}/10/ABC/21/123456?17=270100"
    data = parse_gs1(uri)
    assert data is not None
    assert (data.gtin, data.lot, data.serial) == (GTIN, "ABC", "123456")
    assert data.expiry == date(2027, 1, 31) and data.digital_link == uri


def test_an_ordinary_web_address_is_not_gs1() -> None:
    assert parse_gs1("https://example.com/products/42") is None


def test_human_readable_form_with_brackets_is_parsed() -> None:
    data = parse_gs1(f"(01){GTIN}(10)B7")
    assert data is not None and data.gtin == GTIN and data.lot == "B7"


def test_a_gtin_with_a_wrong_check_digit_in_a_gs1_symbol_is_broken_gs1() -> None:
    with pytest.raises(BrokenGs1) as err:
        parse_gs1("0109506000134353" + "10AB", "]C1")
    assert "check digit" in err.value.message and "Scan it again" in err.value.message


def test_a_gs1_symbol_that_is_not_an_element_string_is_broken_gs1() -> None:
    with pytest.raises(BrokenGs1):
        parse_gs1("HELLO", "]d2")
    with pytest.raises(BrokenGs1):
        parse_gs1("01" + GTIN + "17251350", "]C1")  # month 13


def test_plain_digits_are_gs1_only_when_they_are_valid_keys() -> None:
    assert (ean := parse_gs1("5901234123457")) is not None and ean.gtin == "05901234123457"
    assert parse_gs1("5901234123458") is None  # wrong check digit: just a number
    assert parse_gs1("123456") is None
    assert parse_gs1("0112345") is None  # starts like AI 01 but is far too short


def test_gtin_forms_cover_gtin14_ean13_upc_and_ean8() -> None:
    assert gtin_equivalents("05901234123457") == ["05901234123457", "5901234123457"]
    assert gtin_equivalents("00012345678905") == [
        "00012345678905",
        "0012345678905",
        "012345678905",
    ]
    assert gtin_equivalents("00000096385074") == [
        "00000096385074",
        "0000096385074",
        "000096385074",
        "96385074",
    ]
    assert gtin_equivalents("10012345678902") == ["10012345678902"]  # a case GTIN stays itself


def test_control_characters_and_undecodable_bytes_are_refused_with_the_position() -> None:
    with pytest.raises(InvalidScan, match="0x07 at position 3"):
        check_readable("AB\x07CD")
    with pytest.raises(InvalidScan, match="not text"):
        check_readable("AB\ufffd")
    with pytest.raises(InvalidScan, match="empty"):
        check_readable("")
    with pytest.raises(InvalidScan, match="characters long"):
        check_readable("A" * 5000)
    check_readable("01" + GTIN + "10AB" + GS + "21X")  # GS is data, not garbage
    check_readable("条码-中文 OK")


def test_printable_shows_control_characters_by_name() -> None:
    assert printable("A" + GS + "B\x07") == "A<GS>B<0x07>"


def test_command_barcodes_round_trip_and_have_a_code39_safe_form() -> None:
    for command, qty, text in standard_command_barcodes():
        assert parse_command(text) == (command, qty)
        assert set(text) <= set(string.ascii_uppercase + string.digits + "-")
    assert command_text(Command.QUANTITY, 12) == "PD-CMD-QTY-12"
    assert parse_command("pd-cmd-confirm") == (Command.CONFIRM, None)  # case changed by scanner


def test_things_that_look_like_commands_but_are_not_are_rejected() -> None:
    for text in [
        "PD-CMD-",
        "PD-CMD-FOO",
        "PD-CMD-QTY",
        "PD-CMD-QTY-0",
        "PD-CMD-QTY-10000",
        "PD-CMD-CONFIRM-2",
        "PD-CMD-QTY-١٢",
        "XPD-CMD-NEXT",
    ]:
        assert parse_command(text) is None, text
    with pytest.raises(ValidationError):
        command_text(Command.QUANTITY, 0)
    with pytest.raises(ValidationError):
        command_text(Command.CONFIRM, 3)


def test_tote_and_tracking_patterns_are_configurable_and_validated() -> None:
    p = ScanPatterns()
    assert p.is_tote("TOTE-0042") and not p.is_tote("A-01-02")
    assert p.carrier_of("SF1234567890123") == "SF Express"
    assert p.carrier_of("1Z999AA10123456784") == "UPS"
    assert p.carrier_of("PD00000001") == ""
    custom = ScanPatterns.from_json({"tote": r"^C\d{2}$", "tracking": [["Acme", r"^AC\d+$"]]})
    assert custom.is_tote("C07") and custom.carrier_of("AC77") == "Acme"
    assert ScanPatterns.from_json(custom.to_json()) == custom
    with pytest.raises(ValidationError, match="not valid"):
        ScanPatterns(tote="([")


# --- property tests: arbitrary input gives a clear error or a correct value, never a crash ---


@settings(max_examples=400, deadline=None)
@given(st.text(min_size=0, max_size=80), st.sampled_from(["", "]C1", "]d2", "]Q3", "]C0"]))
def test_gs1_parsing_of_any_text_is_data_none_or_a_clear_error(text: str, aim: str) -> None:
    try:
        data = parse_gs1(text, aim)
    except BrokenGs1 as exc:
        assert exc.message.startswith("This GS1 barcode is damaged")
        return
    if data is not None:
        assert data.gtin == "" or (len(data.gtin) == 14 and data.gtin.isdigit())
        assert data.sscc == "" or len(data.sscc) == 18


@settings(max_examples=300, deadline=None)
@given(
    body=st.text(alphabet="0123456789", min_size=12, max_size=12),
    lot=st.text(alphabet=string.ascii_uppercase + string.digits + "-", min_size=1, max_size=20),
    year=st.integers(0, 49),
    month=st.integers(1, 12),
    day=st.integers(0, 28),
)
def test_any_valid_gtin_lot_and_expiry_round_trip(
    body: str, lot: str, year: int, month: int, day: int
) -> None:
    gtin = "0" + with_check_digit(body)
    text = f"01{gtin}10{lot}{GS}17{year:02d}{month:02d}{day:02d}"
    data = parse_gs1(text, "]C1")
    assert data is not None and data.gtin == gtin and data.lot == lot
    last = calendar.monthrange(2000 + year, month)[1]
    assert data.expiry == date(2000 + year, month, day or last)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_readability_check_never_crashes(text: str) -> None:
    try:
        check_readable(text)
    except InvalidScan as exc:
        assert "{" not in exc.message and "again" in exc.message  # filled in, says what to do

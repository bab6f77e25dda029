"""Masks of the street line and the channel policies (app.domain.privacy)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.privacy import (
    MASKED_REST,
    MaskPolicy,
    mask_recipient,
    mask_street,
    mask_street2,
)

M = MASKED_REST

# (street line as customers write it, what screens and labels show)
ADDRESSES = [
    # Chinese: road + house number kept, building / unit / room masked
    ("阳光小区5-2-1203", f"阳光小区{M}"),
    ("幸福花园B座1203", f"幸福花园{M}"),
    ("3号楼2单元501室", M),
    ("科技园路1号", "科技园路1号"),
    ("科技园南路88号3栋1单元502室", f"科技园南路88号{M}"),
    ("南山区科技园南路88号", "南山区科技园南路88号"),
    ("长乐路100弄5号301室", f"长乐路100弄5号{M}"),
    ("建设路1号楼3单元", f"建设路{M}"),
    ("朝阳路8号院3号楼2单元101", f"朝阳路8号{M}"),
    ("幸福花园二栋三单元", f"幸福花园{M}"),
    ("中关村大街27号中关村大厦1101", f"中关村大街27号{M}"),
    ("南京东路100-102号5楼", f"南京东路100-102号{M}"),
    ("天河路385号太古汇一座28楼", f"天河路385号{M}"),
    ("翠苑小区12幢2单元301", f"翠苑小区{M}"),
    ("万科城市花园7栋A座1502", f"万科城市花园{M}"),
    ("东城区王府井大街1号", "东城区王府井大街1号"),
    ("和平里小区3-1-402", f"和平里小区{M}"),
    ("锦绣家园#5-1203", f"锦绣家园{M}"),
    ("华侨城（东区）18栋", f"华侨城{M}"),
    ("人民路", "人民路"),
    ("５栋１２０３室", M),
    ("学院路37号北航大院9号楼", f"学院路37号{M}"),
    # English
    ("12 High Street Flat 3", f"12 High Street {M}"),
    ("45 Elm St Apartment 7", f"45 Elm St {M}"),
    ("Flat 3, 12 High Street", f"{M}, 12 High Street"),
    ("123 Main St Apt 4B", f"123 Main St {M}"),
    ("350 W 42nd St Apt. 12C", f"350 W 42nd St {M}"),
    ("725 5th Avenue, Suite 1200", f"725 5th Avenue, {M}"),
    ("10 Downing Street", "10 Downing Street"),
    ("12 High Street #4", f"12 High Street {M}"),
    ("1600 Amphitheatre Pkwy Building 40", f"1600 Amphitheatre Pkwy {M}"),
    ("2nd Floor, 30 Fleet St", f"{M}, 30 Fleet St"),
    ("221B Baker Street", "221B Baker Street"),
    ("77 Oxford Road, Unit 5", f"77 Oxford Road, {M}"),
    ("8 Queen's Road, Room 1203", f"8 Queen's Road, {M}"),
    ("3-12 High St", M),
    ("12/34 Smith St", M),
    ("Rose Court, 9 Park Lane", f"{M}, 9 Park Lane"),
    # French
    ("Rue de Rivoli 12, Bât. A, 3e étage, porte 12", f"Rue de Rivoli 12, {M}"),
    ("12 rue de la Paix", "12 rue de la Paix"),
    ("15 bis avenue Foch, appartement 22", f"15 bis avenue Foch, {M}"),
    ("8 boulevard Haussmann, escalier B, 4e étage", f"8 boulevard Haussmann, {M}"),
    ("Avenue de la Porte de Clichy 12", "Avenue de la Porte de Clichy 12"),
    ("3 rue Sainte-Catherine Appt 14", f"3 rue Sainte-Catherine {M}"),
    ("Rue de Rivoli", "Rue de Rivoli"),
    # German
    ("Hauptstraße 5, Wohnung 3", f"Hauptstraße 5, {M}"),
    ("Hauptstraße 5 3. OG", f"Hauptstraße 5 {M}"),
    ("Berliner Str. 12a, 2. Stock links", f"Berliner Str. 12a, {M}"),
    ("Schillerstraße 7, Whg. 12", f"Schillerstraße 7, {M}"),
    ("Hauptstraße 5/3", f"Hauptstraße 5 {M}"),
    ("Mariahilfer Straße 10 Top 5", f"Mariahilfer Straße 10 {M}"),
    ("Am Markt 1, Zimmer 204", f"Am Markt 1, {M}"),
    ("Unter den Linden 77", "Unter den Linden 77"),
    ("Hauptstraße Nr. 5, Whg. 3", f"Hauptstraße Nr. 5, {M}"),
    # not understood: the words before the first digit (or a word and a number), the rest masked
    ("Block 5 Jurong West", M),
    ("Lot 17 Kampung Baru", f"Lot 17 {M}"),
    ("", ""),
]


@pytest.mark.parametrize(("street", "shown"), ADDRESSES, ids=[a for a, _ in ADDRESSES])
def test_a_street_line_shows_the_road_and_house_number_and_hides_the_rest(
    street: str, shown: str
) -> None:
    assert mask_street(street) == shown


def test_the_table_covers_forty_addresses_in_four_languages() -> None:
    assert len(ADDRESSES) >= 40


def test_the_second_address_line_is_hidden_whole() -> None:
    assert mask_street2("Flat 3, Rose Court") == M
    assert mask_street2("3栋1单元502室") == M
    assert mask_street2("  ") == ""


# --- property: no room digits survive ------------------------------------------------------------

# house numbers use the digits 1-3 only, the building / unit / room parts 4-9 and 0: any of
# those in the output is a room digit that survived
HOUSE = st.integers(1, 333).map(lambda n: str(n).translate(str.maketrans("0456789", "1231231")))
ROOM = st.text(alphabet="4567890", min_size=1, max_size=4)
LETTER = st.sampled_from("ABCD")


@st.composite
def chinese(draw: st.DrawFn) -> tuple[str, str]:
    road = draw(st.sampled_from(["科技园南路", "人民路", "王府井大街", "长乐路", "中山大道"]))
    area = draw(st.sampled_from(["", "阳光小区", "幸福花园", "翠苑"]))
    street = draw(st.sampled_from([f"{road}{draw(HOUSE)}号{area}", area or "锦绣家园"]))
    a, b, c = draw(ROOM), draw(ROOM), draw(ROOM)
    room = draw(
        st.sampled_from(
            [
                f"{a}栋{b}单元{c}室",
                f"{a}号楼{b}单元{c}",
                f"{a}-{b}-{c}",
                f"{a}幢{c}室",
                f"{draw(LETTER)}座{c}",
                f"{a}#{c}",
                f"{a}楼{c}",
                f"{a}层{c}房",
                f"({a}){c}",
                f" {a} {c}",
            ]
        )
    )
    return street, room


@st.composite
def latin(draw: st.DrawFn) -> tuple[str, str]:
    n = draw(HOUSE)
    street = draw(
        st.sampled_from(
            [
                f"{n} High Street",
                f"{n} Elm St",
                f"{n} bis rue de la Paix",
                f"Rue de Rivoli {n}",
                f"Hauptstraße {n}",
                f"Berliner Str. {n}a",
                f"{n} W Main Ave",
            ]
        )
    )
    a, c = draw(ROOM), draw(ROOM)
    room = draw(
        st.sampled_from(
            [
                f"Flat {c}",
                f"Apt {c}",
                f"Apt. {a}{draw(LETTER)}",
                f"Apartment {c}",
                f"Unit {c}",
                f"Suite {c}",
                f"Room {c}",
                f"#{c}",
                f"{c}",
                f"{c}{draw(LETTER)}",
                f"Fl {a}",
                f"{a}th Floor",
                f"Bât. {draw(LETTER)}, {a}e étage, porte {c}",
                f"appartement {c}",
                f"escalier {a}",
                f"Wohnung {c}",
                f"Whg. {c}",
                f"{a}. OG",
                f"{a}. Stock",
                f"Top {c}",
                f"Zimmer {c}",
                f"Building {a}, Room {c}",
            ]
        )
    )
    return street, room


ROOM_DIGITS = re.compile(r"[4-90]")


@given(chinese(), st.sampled_from(["", " ", "，"]))
def test_no_room_digits_survive_in_a_chinese_address(parts: tuple[str, str], sep: str) -> None:
    street, room = parts
    out = mask_street(street + sep + room)
    assert not ROOM_DIGITS.search(out), (street + sep + room, out)
    assert out.startswith(street) or street.startswith(out.removesuffix(M))


@given(latin(), st.sampled_from([", ", " ", ","]), st.booleans())
def test_no_room_digits_survive_in_a_western_address(
    parts: tuple[str, str], sep: str, room_first: bool
) -> None:
    street, room = parts
    line = f"{room}, {street}" if room_first else street + sep + room
    out = mask_street(line)
    assert not ROOM_DIGITS.search(out), (line, out)
    assert street in out, (line, out)


# --- policies ------------------------------------------------------------------------------------


def test_the_ewaybill_policy_hides_name_phone_and_room() -> None:
    r = mask_recipient("ewaybill", "张三丰", "13812345678", "科技园路1号3栋502室", "B座")
    assert (r.name, r.phone, r.street, r.street2) == ("张*丰", "138******78", f"科技园路1号{M}", M)
    assert r.masked


def test_the_full_name_policy_shows_the_name_and_hides_phone_and_room() -> None:
    r = mask_recipient(MaskPolicy.FULL_NAME, "Emma Wilson", "07700900123", "12 High St Flat 3")
    assert (r.name, r.street) == ("Emma Wilson", f"12 High St {M}")
    assert "900123" not in r.phone and r.masked


def test_the_none_policy_for_business_customers_shows_everything() -> None:
    r = mask_recipient("none", "ACME GmbH Einkauf", "+49 30 1234567", "Hauptstraße 5, 3. OG", "x")
    assert (r.name, r.phone, r.street, r.street2) == (
        "ACME GmbH Einkauf",
        "+49 30 1234567",
        "Hauptstraße 5, 3. OG",
        "x",
    )
    assert not r.masked


@pytest.mark.parametrize("stored", [None, "", "name_only", "bogus"])
def test_an_unknown_policy_masks_as_strictly_as_the_ewaybill_rule(stored: str | None) -> None:
    assert MaskPolicy.of(stored) is MaskPolicy.EWAYBILL
    assert mask_recipient(stored, "李四", "13812345678", "x").name == "李*"

"""Addresses by country: the parts each destination needs, the form of its postal codes, and
placeholders that count as empty (Google's address data; China keeps its own rules)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.addresses import country_rules, is_blank, looks_like_street
from app.domain.check_settings import CheckSettings
from app.domain.order_rules import CheckLine, CheckOrder, evaluate

DEFAULTS = CheckSettings()


def order(country: str, **kw: str) -> CheckOrder:
    base = CheckOrder(
        country=country,
        name="A Customer",
        phone="",
        province="",
        city="",
        district="",
        street="",
        street2="",
        postal_code="",
        payment_status="paid",
        cancelled=False,
        lines=(CheckLine(1, "CUP", 1, True),),
    )
    return replace(base, **kw)


#: real-shaped addresses that pass, one a country
GOOD = {
    "AR": order(
        "AR",
        street="Av. Corrientes 1234, Piso 5",
        city="Buenos Aires",
        province="Ciudad Autónoma de Buenos Aires",
        postal_code="C1043AAZ",
        phone="+54 9 11 2345-6789",
    ),
    "BD": order(
        "BD",
        street="House 12, Road 5, Dhanmondi",
        city="Dhaka",
        postal_code="1205",
        phone="+880 1712-345678",
    ),
    "CA": order(
        "CA",
        street="123 Rue Sainte-Catherine O",
        city="Montréal",
        province="QC",
        postal_code="H3B 1A7",
        phone="+1 514-555-0199",
    ),
    "EG": order(
        "EG",
        street="15 Tahrir Street, Dokki",
        city="Giza",
        province="Giza",
        postal_code="12611",
        phone="+20 10 1234 5678",
    ),
    "IT": order(
        "IT",
        street="Via Roma 12",
        city="Milano",
        province="MI",
        postal_code="20121",
        phone="+39 312 345 6789",
    ),
    "ZA": order(
        "ZA",
        street="12 Long Street",
        city="Cape Town",
        province="Western Cape",
        postal_code="8001",
        phone="+27 82 123 4567",
    ),
    "TR": order(
        "TR",
        street="Atatürk Cad. No:12 D:5",
        city="Kadıköy",
        province="İstanbul",
        postal_code="34710",
        phone="+90 532 123 45 67",
    ),
    "CN": order(
        "CN",
        name="张三丰",
        street="文三路90号",
        district="西湖区",
        city="杭州市",
        province="浙江省",
        postal_code="310012",
        phone="13812345678",
    ),
    "US": order(
        "US",
        street="12 Beacon Street",
        city="Boston",
        province="MA",
        postal_code="02108",
        phone="+1 617-555-0142",
    ),
    "GB": order(
        "GB",
        street="10 Downing Street",
        city="London",
        postal_code="SW1A 2AA",
        phone="+44 20 7946 0958",
    ),
    "DE": order(
        "DE",
        street="Unter den Linden 77",
        city="Berlin",
        postal_code="10117",
        phone="+49 30 901820",
    ),
    "HK": order(
        "HK",
        street="Flat 5A, 18 Nathan Road, Tsim Sha Tsui",
        province="Kowloon",
        phone="+852 2123 4567",
    ),
}


def reasons(o: CheckOrder, settings: CheckSettings = DEFAULTS) -> list[str]:
    return [f.reason for f in evaluate(o, settings)]


@pytest.mark.parametrize("country", sorted(GOOD))
def test_a_complete_address_of_each_country_passes(country: str) -> None:
    assert reasons(GOOD[country]) == []


@pytest.mark.parametrize(
    ("country", "change", "reason"),
    [
        # Argentina, Bangladesh and Egypt: the post does not demand a postal code...
        ("AR", {"postal_code": ""}, None),
        ("BD", {"postal_code": ""}, None),
        ("EG", {"postal_code": "-"}, None),
        # ...but one that is written must have the country's form
        (
            "AR",
            {"postal_code": "ABC-12"},
            "The postal code ABC-12 is not of the form used in "
            "Argentina (AR) (for example C1070AAM).",
        ),
        ("BD", {"postal_code": "12050"}, "not of the form used in Bangladesh (BD)"),
        ("EG", {"postal_code": "1261"}, "not of the form used in Egypt (EG)"),
        (
            "CA",
            {"province": ""},
            "The address has no province; addresses in Canada (CA) need them.",
        ),
        ("CA", {"postal_code": "90210"}, "not of the form used in Canada (CA)"),
        ("IT", {"province": "-"}, "The address has no province; addresses in Italy (IT)"),
        ("IT", {"postal_code": "2012"}, "not of the form used in Italy (IT) (for example 00144)"),
        (
            "ZA",
            {"postal_code": "N/A"},
            "The address has no postal code; addresses in South Africa (ZA)",
        ),
        ("ZA", {"postal_code": "80011"}, "not of the form used in South Africa (ZA)"),
        ("TR", {"city": "0"}, "The address has no district; addresses in Turkey (TR)"),
        ("TR", {"postal_code": "3471"}, "not of the form used in Turkey (TR)"),
        (
            "CN",
            {"district": "无", "street": "文三路90号"},
            "The address has no district; addresses in China (CN)",
        ),
        ("CN", {"postal_code": ""}, None),  # Chinese carriers route by the district
        ("CN", {"phone": "-"}, "There is no phone number; carriers in CN need one."),
        ("US", {"province": "n/a"}, "The address has no state; addresses in United States"),
        ("US", {"postal_code": ""}, "The address has no ZIP code"),
        (
            "GB",
            {"postal_code": "none"},
            "The address has no postal code; addresses in United Kingdom (GB)",
        ),
        ("GB", {"city": ""}, "The address has no post town"),
        ("DE", {"postal_code": "1011"}, "not of the form used in Germany (DE)"),
        ("DE", {"street": "--"}, "The address has no street address"),
        # Hong Kong has no postal codes: none is demanded, and a placeholder is fine
        ("HK", {"postal_code": "0"}, None),
        ("HK", {"postal_code": "000000"}, None),
        ("HK", {"province": "x"}, "The address has no area; addresses in Hong Kong (HK)"),
        # a phone in an odd form holds the order with a reason; a placeholder is no phone
        ("IT", {"phone": "0"}, None),
        ("IT", {"phone": "call me"}, "cannot be read as a phone number"),
    ],
)
def test_each_country_is_checked_by_its_own_rules(
    country: str, change: dict[str, str], reason: str | None
) -> None:
    got = reasons(replace(GOOD[country], **change))
    if reason is None:
        assert got == []
    else:
        assert len(got) == 1 and reason in got[0], got


def test_a_postal_code_that_is_a_street_or_too_long_is_held_with_a_reason_not_rejected() -> None:
    street = reasons(replace(GOOD["IT"], postal_code="12 Via Roma"))
    assert street == [
        "The postal code 12 Via Roma looks like part of a street address. Move it "
        "to the street lines and write the postal code of Italy (IT)."
    ]
    # longer than any postal code: its length is given, not the value (it may be a street)
    whole = reasons(replace(GOOD["IT"], postal_code="Via Roma 12 20121 Milano"))
    assert whole == [
        "The postal code is 24 characters long, longer than a postal code can be: the street "
        "may have been typed into the postal code field. Correct it from the customer's address "
        "and write the postal code of Italy (IT)."
    ]
    # a country the data has no form for: what a postal code can be counts all the same
    long = reasons(replace(GOOD["US"], country="ZZ", postal_code="1" * 13, province=""))
    assert long == [
        "The postal code is 13 characters long, longer than a postal code can be: the street "
        "may have been typed into the postal code field. Correct it from the customer's address "
        "and write the postal code of ZZ."
    ]
    assert reasons(replace(GOOD["US"], postal_code="02108-1234")) == []


@pytest.mark.parametrize(
    ("country", "street", "carrier", "refused"),
    [
        ("US", "PO Box 1234", (), False),  # carrier not chosen yet: USPS may take it
        ("US", "P.O. Box 1234", ("USPS", "USPS Ground Advantage"), False),
        ("US", "PO Box 1234", ("UPS", "UPS Ground"), True),
        ("CA", "Post Office Box 9", ("canada post", "Expedited Parcel"), False),
        ("CA", "PO Box 9", ("FEDEX", "FedEx Ground"), True),
        ("GB", "PO Box 12", (), True),
        ("IT", "P.O. Box 12", ("POSTE", "Poste Italiane"), True),
        ("DE", "Packstation 105", ("DHL", "DHL Paket"), False),
        ("DE", "Packstation 105", ("HERMES", "Hermes"), True),
        ("DE", "Packstation 105", (), False),
        ("AT", "Packstation 105", ("DHL", "DHL Paket"), True),
    ],
)
def test_refused_address_words_depend_on_the_country_and_carrier(
    country: str, street: str, carrier: tuple[str, ...], refused: bool
) -> None:
    o = replace(GOOD.get(country, GOOD["DE"]), country=country, street=street, carrier=carrier)
    o = replace(o, postal_code="1010", city="Wien") if country == "AT" else o
    got = [f.code for f in evaluate(o, DEFAULTS)]
    assert ("refused_address" in got) is refused, got


def test_an_allowance_for_any_carrier_lets_a_word_through_in_that_country() -> None:
    s = replace(DEFAULTS, refused_address_allowed=(("PO Box", "GB", ""),))
    o = replace(GOOD["GB"], street="PO Box 12", carrier=("ROYALMAIL", "Royal Mail"))
    assert reasons(o, s) == []
    assert len(reasons(replace(o, street="PO Box 12", country="IE", postal_code=""), s)) == 1


def test_the_refused_word_allowances_survive_a_round_trip_through_json() -> None:
    s = replace(DEFAULTS, refused_address_allowed=(("Packstation", "DE", "DHL"),))
    back = CheckSettings.from_json(s.to_json())
    assert back == s
    assert CheckSettings.from_json({"refused_address_allowed": [["PO Box", "us"]]}) == replace(
        DEFAULTS, refused_address_allowed=(("PO Box", "US", ""),)
    )


@pytest.mark.parametrize(
    "value",
    [
        "",
        "  ",
        "-",
        "--",
        "0",
        "N/A",
        "n/a",
        "NA",
        "none",
        "None",
        "NULL",
        ".",
        "x",
        "无",
        " 无 ",
        "暂无",
        "Not applicable",
    ],
)
def test_placeholders_count_as_empty(value: str) -> None:
    assert is_blank(value)


@pytest.mark.parametrize("value", ["0x", "NAB", "10", "Nonesuch Road", "无锡市", "X1"])
def test_real_values_are_not_placeholders(value: str) -> None:
    assert not is_blank(value)


def test_the_rules_come_from_the_address_data_without_a_network() -> None:
    # the package ships its data: these load with no network here
    assert country_rules("ZA").required == ("name", "city", "street", "postal_code")
    assert not country_rules("AE").uses_postal_codes
    assert country_rules("IE").label("postal_code") == "eircode"
    assert country_rules("GB").postal_code_fits("sw1a 2aa")
    assert looks_like_street("12 Via Roma 4") and not looks_like_street("SW1A 2AA")

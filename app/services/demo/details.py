"""Pieces of a demo order: what a held order gets wrong, its address row, the channel's order id
and the carrier's tracking number."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime
from typing import Any

from app.domain.holds import HoldReason
from app.domain.privacy import mask_phone
from app.services.demo import words
from app.services.demo.catalog import Row
from app.services.demo.people import Person


def problem_facts(rng: random.Random, person: Person, lines: list[Row]) -> dict[str, Any]:
    """What would be wrong with the order for each hold reason (a digit missing, a PO box...)."""
    return {
        "english": person.country != "CN",
        "phone": person.phone[: -(3 if person.country != "CN" else 1)],
        "street": f"PO Box {1000 + int(rng.random() * 9000)}",
        "code": person.postal_code[:5],
        "sku": (lines[-1]["sku"] if lines else "") + "-OLD",
    }


def with_problems(person: Person, codes: list[str], facts: dict[str, Any]) -> Person:
    """The address as a held order shows it: the problem is still there."""
    if "bad_phone" in codes:
        person = replace(person, phone=facts["phone"])
    if "missing_address" in codes:
        person = replace(person, district="")
    if "po_box" in codes:
        person = replace(person, street=facts["street"], street2="")
    if "bad_postcode" in codes:
        person = replace(person, postal_code=facts["code"])
    return person


def hold_reason(code: str, facts: dict[str, Any]) -> HoldReason:
    """The demo's sentence for a hold, as its template and values (the phone masked, as the
    checks quote it)."""
    r = words.DEMO_HOLD_MESSAGES
    if code == "bad_phone":
        key = "bad_phone_en" if facts["english"] else "bad_phone"
        return HoldReason(code, r[key], {"phone": mask_phone(facts["phone"])})
    if code == "duplicate":
        return HoldReason(code, r[code], {"other": facts["other"], "minutes": facts["minutes"]})
    if code == "po_box":
        return HoldReason(code, r[code], {"street": facts["street"]})
    if code == "bad_postcode":
        return HoldReason(code, r[code], {"code": facts["code"]})
    if code == "unknown_sku":
        return HoldReason(code, r[code], {"sku": facts["sku"]})
    return HoldReason(code, r[code])


def address_row(addr_id: int, customer_id: int, p: Person) -> Row:
    return {
        "id": addr_id,
        "customer_id": customer_id,
        "name": p.name,
        "phone": p.phone,
        "phone_digits": p.phone_digits,
        "company": "",
        "country": p.country,
        "province": p.province,
        "city": p.city,
        "district": p.district,
        "street": p.street,
        "street2": p.street2,
        "postal_code": p.postal_code,
    }


def external_id(rng: random.Random, platform: str, i: int, placed: datetime) -> str:
    """The channel's own order id, in the shape each platform uses; unique per index."""
    if platform == "taobao":
        return str(2 * 10**18 + i * 1_000_003 + int(rng.random() * 1_000_000))
    if platform == "douyin":
        return str(4 * 10**18 + i * 1_000_003 + int(rng.random() * 1_000_000))
    if platform == "jd":
        return str(300_000_000_000 + i * 1_009 + int(rng.random() * 1000))
    if platform == "pinduoduo":
        return f"{placed:%y%m%d}-{100_000_000_000_000 + i * 1_009 + int(rng.random() * 1000)}"
    if platform == "shopify":
        return str(5_600_000_000_000 + i * 1_009 + int(rng.random() * 1000))
    return str(10_000 + i)


def tracking_number(rng: random.Random, service: str) -> str:
    digits = f"{int(rng.random() * 10**15):015d}"
    carrier = service.split("-")[0]
    if carrier == "SF":
        return "SF" + digits[:13]
    if carrier == "ZTO":
        return "7" + digits[:13]
    if carrier == "YTO":
        return "YT" + digits[:13]
    if carrier == "JD":
        return "JDVA" + digits[:11]
    if carrier == "UPS":
        return (
            "1Z"
            + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(6))
            + "03"
            + digits[:8]
        )
    return digits[:10]

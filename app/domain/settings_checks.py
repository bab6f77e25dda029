"""Checks of single fields of the Settings screen, so that a wrong value is named next to its
field before anything is saved. Pure; the services check again when they save."""

from __future__ import annotations

import re

from app.domain.errors import ValidationError

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def split_list(text: str) -> tuple[str, ...]:
    """ "a, b，c" -> ("a", "b", "c"): commas (also the Chinese one), blanks dropped."""
    return tuple(p.strip() for p in text.replace("，", ",").split(",") if p.strip())


def country_codes(text: str) -> tuple[str, ...]:
    """Two-letter country codes separated by commas, in upper case."""
    codes = tuple(c.upper() for c in split_list(text))
    for code in codes:
        if not _COUNTRY.match(code):
            raise ValidationError(
                "{code} is not a two-letter country code (for example CN or US).", code=code
            )
    return codes


def allowances(text: str) -> tuple[tuple[str, str, str], ...]:
    """Lines "word; country; carrier" (carrier may be left out: any carrier)."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("；", ";").split(";")]
        word, country, carrier = [*parts, "", "", ""][:3]
        if not word or not _COUNTRY.match(country.upper()):
            raise ValidationError(
                "Write each line as word; country; carrier (for example PO Box; US; USPS), "
                "not {line}.",
                line=line.strip(),
            )
        out.append((word, country.upper(), carrier))
    return tuple(out)


def payment_statuses(text: str) -> tuple[str, ...]:
    statuses = tuple(s.lower() for s in split_list(text))
    if not statuses:
        raise ValidationError("At least one payment status must count as paid.")
    return statuses


def mail_host(text: str, enabled: bool) -> str:
    if enabled and not text.strip():
        raise ValidationError("Give the mail server's host name.")
    return text.strip()


def email_address(text: str, enabled: bool) -> str:
    value = text.strip()
    if (enabled or value) and not _EMAIL.match(value):
        raise ValidationError("Give the address notices come from (for example shop@example.com).")
    return value


def sender_country(text: str) -> str:
    code = text.strip().upper()
    if not _COUNTRY.match(code):
        raise ValidationError(
            "{code} is not a two-letter country code (for example CN or US).", code=text.strip()
        )
    return code

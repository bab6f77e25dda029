"""GS1 check digits for EAN-13 / GTIN-14 (used by demo data and barcode checks)."""

from __future__ import annotations


def gs1_check_digit(body: str) -> str:
    """Check digit for a GS1 key given without it (GTIN-8/12/13/14, SSCC)."""
    if not body.isdigit():
        raise ValueError(f"GS1 keys are digits only: {body!r}")
    total = 0
    for i, ch in enumerate(reversed(body)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


def with_check_digit(body: str) -> str:
    return body + gs1_check_digit(body)


def is_valid_gtin(code: str) -> bool:
    return (
        code.isdigit() and len(code) in (8, 12, 13, 14) and gs1_check_digit(code[:-1]) == code[-1]
    )

"""PINs, log-in waiting times and the production password hashing (no database)."""

from __future__ import annotations

from datetime import timedelta

import argon2
import pytest

from app.domain.errors import ValidationError
from app.domain.users import check_pin, lockout_wait, wait_text
from app.services import auth


@pytest.mark.parametrize("pin", ["1234", "4005", "90210", "12121212", "0001"])
def test_a_pin_of_four_to_eight_digits_not_all_the_same_is_accepted(pin: str) -> None:
    check_pin(pin)


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "1111", "0000", "99999999"])
def test_a_short_long_non_digit_or_one_digit_repeated_pin_is_refused(pin: str) -> None:
    with pytest.raises(ValidationError):
        check_pin(pin)


def test_log_in_waits_start_after_five_failures_and_double_up_to_fifteen_minutes() -> None:
    waits = [lockout_wait(n).total_seconds() for n in range(1, 12)]
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert lockout_wait(10_000) == timedelta(minutes=15)


def test_the_waiting_time_is_shown_as_minutes_and_seconds_rounded_up() -> None:
    assert wait_text(timedelta(seconds=30)) == "0:30"
    assert wait_text(timedelta(seconds=89, milliseconds=200)) == "1:30"
    assert wait_text(timedelta(minutes=15)) == "15:00"


@pytest.mark.real_password_hashing
def test_passwords_are_hashed_with_the_production_argon2_parameters() -> None:
    # the cheap test hasher of tests/conftest.py is not in place here (marker)
    params = argon2.extract_parameters(auth.hash_secret("correct-horse-9"))
    assert params.type is argon2.Type.ID
    assert params.memory_cost == 64 * 1024  # KiB: 64 MiB
    assert params.time_cost == 3
    assert params.parallelism == 4

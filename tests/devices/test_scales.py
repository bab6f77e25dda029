"""Scale drivers against the scale emulator: MT-SICS, continuous and NCI, over a real pty where
the system has one and over the socket:// fallback (Windows) everywhere."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.devices.emulators import HAS_PTY, PtyLink, ScaleEmulator, TcpLink
from app.devices.scales import (
    ContinuousFormat,
    NegativeWeight,
    ScaleError,
    ScaleGarbled,
    ScaleOverload,
    ScaleReading,
    ScaleRefused,
    ScaleUnderload,
    SerialScale,
    StabilityFilter,
    UnstableWeight,
    make_scale,
    parse_continuous,
    parse_mtsics,
    parse_nci,
)
from app.devices.serial_link import DeviceDisconnected, DeviceTimeout, PortNotFound, SerialLink
from app.domain.errors import DeviceError

PROTOCOLS = ["mtsics", "continuous", "nci"]
PTY = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")
RIGS = [
    pytest.param((protocol, link), marks=[PTY] if link == "pty" else [], id=f"{protocol}-{link}")
    for protocol in PROTOCOLS
    for link in ("pty", "socket")
]


@pytest.fixture(params=RIGS)
def rig(request: pytest.FixtureRequest) -> Iterator[tuple[ScaleEmulator, SerialScale]]:
    protocol, kind = request.param
    link = TcpLink("scale") if kind == "socket" else PtyLink("scale")
    emulator = ScaleEmulator(protocol, link, interval=0.02, stability_timeout=0.2, seed=3)
    scale = make_scale(protocol, SerialLink(emulator.port, device="scale"), command_timeout=0.5)
    yield emulator, scale
    scale.close()
    emulator.close()


def test_a_stable_weight_is_accepted_after_several_agreeing_readings(
    rig: tuple[ScaleEmulator, SerialScale],
) -> None:
    emulator, scale = rig
    emulator.put("1.234")
    assert scale.read_stable(3).value == Decimal("1.234")
    assert scale.read_stable(3).grams == Decimal("1234.000")
    if emulator.protocol != "continuous":  # the stream needs no requests
        assert len(emulator.commands) >= 2 * scale.readings


def test_a_moving_weight_is_never_accepted_and_times_out_with_advice(
    rig: tuple[ScaleEmulator, SerialScale],
) -> None:
    emulator, scale = rig
    emulator.put("2.5", stable=False)
    started = time.monotonic()
    with pytest.raises(UnstableWeight) as err:
        scale.read_stable(0.6)
    assert time.monotonic() - started < 1.5
    assert "Keep the parcel still" in err.value.message


def test_a_weight_that_settles_during_the_read_is_accepted(
    rig: tuple[ScaleEmulator, SerialScale],
) -> None:
    emulator, scale = rig
    emulator.put("0.75", stable=False)
    import threading

    threading.Timer(0.3, emulator.settle).start()
    assert scale.read_stable(3).value == Decimal("0.750")


@pytest.mark.parametrize(
    ("fault", "error"), [("overload", ScaleOverload), ("underload", ScaleUnderload)]
)
def test_overload_and_underload_are_errors_the_operator_can_read(
    rig: tuple[ScaleEmulator, SerialScale], fault: str, error: type[ScaleError]
) -> None:
    emulator, scale = rig
    emulator.put("1")
    emulator.set_fault(**{fault: True})
    with pytest.raises(error) as err:
        scale.read_stable(2)
    assert err.value.message.startswith("The scale")


def test_a_negative_weight_after_removing_a_tared_box_is_an_error(
    rig: tuple[ScaleEmulator, SerialScale],
) -> None:
    emulator, scale = rig
    emulator.put("0.200")
    assert scale.read_stable(3).value == Decimal("0.200")  # the box is on and settled
    scale.tare()
    emulator.put("1.400")
    assert scale.read_stable(3).value == Decimal("1.200")  # net of the box
    emulator.put("0")
    with pytest.raises(NegativeWeight, match=r"-0\.200 kg"):
        scale.read_stable(2)
    scale.zero()
    assert scale.read_stable(3).value == Decimal("0.000")


def test_a_scale_that_never_answers_gives_a_timeout_error(
    rig: tuple[ScaleEmulator, SerialScale],
) -> None:
    emulator, scale = rig
    emulator.put("1")
    emulator.set_fault(silent=True)
    started = time.monotonic()
    with pytest.raises(DeviceTimeout) as err:
        scale.read_stable(1.0)
    assert time.monotonic() - started < 2.0
    assert "did not answer" in err.value.message


def test_garbage_from_the_scale_is_reported_not_read_as_a_weight(
    rig: tuple[ScaleEmulator, SerialScale],
) -> None:
    emulator, scale = rig
    emulator.put("1")
    emulator.set_fault(garbage=True)
    with pytest.raises((ScaleGarbled, UnstableWeight, DeviceTimeout)) as err:
        scale.read_stable(1.0)
    assert isinstance(err.value, DeviceError)
    emulator.set_fault(garbage=False)
    assert scale.read_stable(3).value == Decimal("1.000")


def test_unplugging_mid_answer_is_a_disconnection_and_the_scale_works_after_replugging(
    rig: tuple[ScaleEmulator, SerialScale],
) -> None:
    emulator, scale = rig
    emulator.put("3.210")
    if emulator.protocol == "continuous":
        scale.read_once()  # the stream is flowing: the cable is pulled in the middle of it
        emulator.unplug()
    else:
        emulator.set_fault(unplug_on_next_command=True)
    with pytest.raises((DeviceDisconnected, DeviceTimeout, PortNotFound)) as err:
        scale.read_stable(1.0)
    assert "scale" in err.value.message
    emulator.replug()
    assert scale.read_stable(3).value == Decimal("3.210")


def test_zero_and_tare_are_refused_while_the_weight_moves_on_mtsics() -> None:
    emulator = ScaleEmulator("mtsics", seed=1)
    scale = make_scale("mtsics", SerialLink(emulator.port, device="scale"), command_timeout=0.5)
    try:
        emulator.put("1", stable=False)
        with pytest.raises(ScaleRefused, match="while the weight moves"):
            scale.zero()
        with pytest.raises(ScaleRefused, match="while the weight moves"):
            scale.tare()
    finally:
        scale.close()
        emulator.close()


@pytest.mark.parametrize(("unit", "grams"), [("g", "850"), ("lb", "385.55351"), ("oz", "24.10")])
def test_units_g_lb_and_oz_convert_to_grams(unit: str, grams: str) -> None:
    emulator = ScaleEmulator("mtsics", unit=unit, decimals=2)
    scale = make_scale("mtsics", SerialLink(emulator.port, device="scale"))
    try:
        emulator.put("850" if unit == "g" else "0.85")
        weight = scale.read_stable(3)
        assert weight.unit == unit
        assert round(weight.grams, 2) == round(Decimal(grams), 2)
    finally:
        scale.close()
        emulator.close()


def test_status_says_what_the_scale_shows() -> None:
    emulator = ScaleEmulator("nci")
    scale = make_scale("nci", SerialLink(emulator.port, device="scale"), command_timeout=0.3)
    try:
        emulator.put("4.5")
        status = scale.status()
        assert status.ok and "4.500 kg" in status.text
        emulator.set_fault(silent=True)
        assert not scale.status().ok
    finally:
        scale.close()
        emulator.close()


# --- frames -------------------------------------------------------------------------------------


def test_mtsics_frames() -> None:
    assert parse_mtsics("S S      1.234 kg") == ScaleReading(Decimal("1.234"), "kg", True)
    assert parse_mtsics("S D      0.100 lb").stable is False
    assert parse_mtsics("S +").overload and parse_mtsics("S -").underload
    for refused in ["S I", "ES", "ET", "EL"]:
        with pytest.raises(ScaleRefused):
            parse_mtsics(refused)
    for bad in ["S S 1.2.3 kg", "S S 1.0 stone", "X", "S S NaN kg", "S S inf kg"]:
        with pytest.raises(ScaleGarbled):
            parse_mtsics(bad)


def test_continuous_frames_in_the_default_and_a_configured_format() -> None:
    fmt = ContinuousFormat()
    assert parse_continuous("ST,GS,+001.234kg", fmt) == ScaleReading(Decimal("1.234"), "kg", True)
    net = parse_continuous("US,NT,-000.050kg", fmt)
    assert (net.value, net.stable, net.net) == (Decimal("-0.050"), False, True)
    assert parse_continuous("OL,GS,+999.999kg", fmt).overload
    assert parse_continuous("OL,GS,-999.999kg", fmt).underload
    custom = ContinuousFormat(
        pattern=r"^W:(?P<value>[\d.]+)(?P<unit>lb) (?P<status>S|M)$", stable="S", unstable="M"
    )
    assert parse_continuous("W:12.50lb S", custom) == ScaleReading(Decimal("12.50"), "lb", True)
    with pytest.raises(ScaleGarbled):
        parse_continuous("ST,GS,+001.234kg", custom)


def test_nci_frames_with_status_bits_and_parity() -> None:
    ok = b"\n  1.50lb\r\n00\r\x03"
    assert parse_nci(ok) == ScaleReading(Decimal("1.50"), "lb", True)
    assert parse_nci(b"\n  1.50lb\r\n10\r\x03").stable is False  # motion bit
    assert parse_nci(b"\n^^^^^^lb\r\n02\r\x03").overload  # over capacity bit
    assert parse_nci(b"\n  0.00lb\r\n01\r\x03").underload
    with_parity = bytes(b | 0x80 if b in b"00" else b for b in ok)
    assert parse_nci(with_parity).value == Decimal("1.50")
    with pytest.raises(ScaleError, match="internal fault"):
        parse_nci(b"\n  1.50lb\r\n40\r\x03")  # RAM error bit
    with pytest.raises(ScaleRefused):
        parse_nci(b"\n?\r\x03")


def test_agreement_needs_consecutive_stable_equal_readings() -> None:
    f = StabilityFilter(3, Decimal(2))
    r = ScaleReading
    assert f.feed(r(Decimal("1.000"), "kg", True)) is None
    assert f.feed(r(Decimal("1.001"), "kg", True)) is None  # within 2 g
    assert f.feed(r(Decimal("1.000"), "kg", False)) is None  # moving: start over
    assert f.feed(r(Decimal("1.000"), "kg", True)) is None
    assert f.feed(r(Decimal("1.010"), "kg", True)) is None  # 10 g off: start over
    assert f.feed(r(Decimal("1.010"), "kg", True)) is None
    weight = f.feed(r(Decimal("1.011"), "kg", True))
    assert weight is not None and weight.value == Decimal("1.011")


frames = st.one_of(
    st.binary(max_size=60),
    st.builds(
        lambda s, v, u: f"{s},GS,{v}{u}".encode(),
        st.sampled_from(["ST", "US", "OL", "XX", ""]),
        st.text("+-0123456789. ", max_size=12),
        st.sampled_from(["kg", "g", "lb", "oz", "t", ""]),
    ),
)


def _clear_or_correct(parse: object, frame: bytes) -> None:
    try:
        reading = parse(frame)  # type: ignore[operator]
    except ScaleError as exc:
        assert exc.message.startswith("The scale")
        return
    assert reading.unit in ("g", "kg", "lb", "oz")
    assert reading.value.is_finite()


@settings(max_examples=300, deadline=None)
@given(frames)
def test_any_bytes_as_a_scale_frame_give_a_reading_or_a_clear_error(frame: bytes) -> None:
    fmt = ContinuousFormat()
    _clear_or_correct(lambda b: parse_mtsics(b.decode("latin-1")), frame)
    _clear_or_correct(lambda b: parse_continuous(b.decode("latin-1"), fmt), frame)
    _clear_or_correct(parse_nci, frame)
    _clear_or_correct(parse_nci, b"\n" + frame + b"\r\n00\r\x03")

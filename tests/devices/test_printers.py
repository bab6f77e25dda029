"""Label printer drivers against the printer emulator: real bytes over loopback TCP, a serial
pty and a named pipe standing in for /dev/usb/lp0."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from app.devices.emulators.printer import PrinterEmulator
from app.devices.printers import (
    PrinterConfig,
    PrinterNoAnswer,
    PrinterUnreachable,
    PrinterWriteTimeout,
    open_printer,
    parse_tspl_status,
    parse_zpl_status,
)
from app.domain.errors import DeviceError, ValidationError
from app.labels import render, shipping, tspl

LANGS = ["zpl", "tspl"]


@pytest.fixture(params=LANGS)
def emulator(request: pytest.FixtureRequest) -> Iterator[PrinterEmulator]:
    emu = PrinterEmulator(request.param)
    emu.start()
    yield emu
    emu.stop()


def tcp_config(emu: PrinterEmulator) -> PrinterConfig:
    return PrinterConfig("tcp", emu.address, emu.language)


def a_label(language: str) -> bytes:
    return render.render(shipping.test_label("4x6in", 203), language)


def test_a_label_sent_over_tcp_arrives_whole_and_unchanged(emulator: PrinterEmulator) -> None:
    payload = a_label(emulator.language)
    open_printer(tcp_config(emulator)).send(payload)
    assert emulator.wait_for_jobs(1)
    assert emulator.jobs[0].strip() == payload.strip()


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        ({"paper_out": True}, "out of paper. Load labels"),
        ({"head_open": True}, "head is open. Close the print head"),
        ({"paused": True}, "paused"),
        ({"ribbon_out": True}, "out of ribbon"),
    ],
)
def test_status_says_plainly_what_is_wrong(
    emulator: PrinterEmulator, flags: dict[str, bool], words: str
) -> None:
    printer = open_printer(tcp_config(emulator))
    assert printer.status().ok
    emulator.set_state(**flags)
    status = printer.status()
    assert not status.ok and words in status.text
    emulator.set_state(**{k: False for k in flags})
    assert printer.status().ok


def test_jobs_received_while_out_of_paper_print_when_paper_is_loaded(
    emulator: PrinterEmulator,
) -> None:
    emulator.set_state(paper_out=True)
    open_printer(tcp_config(emulator)).send(a_label(emulator.language))
    deadline = time.monotonic() + 3
    while not emulator.held and time.monotonic() < deadline:
        time.sleep(0.01)
    assert emulator.jobs == [] and len(emulator.held) == 1
    emulator.set_state(paper_out=False)
    assert emulator.wait_for_jobs(1)


def test_a_printer_that_never_answers_is_a_fault_after_the_timeout(
    emulator: PrinterEmulator,
) -> None:
    emulator.set_state(silent=True)
    started = time.monotonic()
    with pytest.raises(PrinterNoAnswer, match=r"did not answer within 0\.4 s"):
        open_printer(tcp_config(emulator)).status(timeout=0.4)
    assert 0.35 < time.monotonic() - started < 1.5
    assert emulator.status_queries == 1


def test_a_printer_that_stops_taking_data_times_out_the_send(emulator: PrinterEmulator) -> None:
    emulator.set_state(stalled=True)
    started = time.monotonic()
    with pytest.raises(PrinterWriteTimeout, match="stopped taking data"):
        open_printer(tcp_config(emulator)).send(b"^XA" + b"0" * 20_000_000 + b"^XZ", timeout=0.5)
    assert time.monotonic() - started < 2


def test_connection_refused_says_to_check_the_printer_and_address() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    printer = open_printer(PrinterConfig("tcp", f"127.0.0.1:{port}", "zpl"))
    with pytest.raises(PrinterUnreachable, match=r"connection refused\. Check that the printer"):
        printer.send(b"^XA^XZ", timeout=1)
    with pytest.raises(PrinterUnreachable):
        printer.status(timeout=1)


@pytest.mark.parametrize("language", LANGS)
def test_serial_printer_on_a_pty_prints_and_reports_paper_out(language: str) -> None:
    emu = PrinterEmulator(language)
    port = emu.start_serial()
    try:
        printer = open_printer(PrinterConfig("serial", port, language, baud=115200))
        assert printer.status(timeout=1).ok
        payload = a_label(language)
        printer.send(payload, timeout=5)
        assert emu.wait_for_jobs(1)
        assert emu.jobs[0].strip() == payload.strip()
        emu.set_state(paper_out=True)
        status = printer.status(timeout=1)
        assert not status.ok and "out of paper" in status.text
        emu.set_state(paper_out=False, silent=True)
        with pytest.raises(PrinterNoAnswer):
            printer.status(timeout=0.3)
        printer.close()  # type: ignore[attr-defined]
    finally:
        emu.stop()


@pytest.mark.parametrize("language", LANGS)
def test_usb_device_file_printer_prints_through_a_pipe(language: str) -> None:
    emu = PrinterEmulator(language)
    path = emu.start_usb()
    try:
        printer = open_printer(PrinterConfig("usb", path, language))
        status = printer.status()
        assert status.ok and "does not report" in status.text
        payload = a_label(language)
        printer.send(payload, timeout=5)
        assert emu.wait_for_jobs(1)
        assert emu.jobs[0].strip() == payload.strip()
    finally:
        emu.stop()
    with pytest.raises(PrinterUnreachable, match="not there"):
        open_printer(PrinterConfig("usb", path, language)).send(b"x", timeout=1)


def test_zpl_jobs_and_status_queries_are_framed_across_any_chunking() -> None:
    emu = PrinterEmulator("zpl")
    emu.start()
    try:
        one, two = a_label("zpl"), b"^XA^FO10,10^A0N,30,30^FDtwo^FS^XZ"
        stream = one + b"~HS" + two
        with socket.create_connection(("127.0.0.1", emu.port), timeout=2) as sock:
            for i in range(0, len(stream), 7):
                sock.sendall(stream[i : i + 7])
            sock.settimeout(2)
            answer = b""
            while answer.count(b"\x03") < 3:
                answer += sock.recv(100)
        assert parse_zpl_status(answer).ok
        assert emu.wait_for_jobs(2)
        assert [j.strip() for j in emu.jobs] == [one.strip(), two]
    finally:
        emu.stop()


def test_tspl_jobs_are_framed_by_print_even_with_binary_bitmaps_and_status_queries() -> None:
    emu = PrinterEmulator("tspl")
    emu.start()
    try:
        job = a_label("tspl")
        assert b"BITMAP" in job
        stream = job + b"\x1b!?" + job
        with socket.create_connection(("127.0.0.1", emu.port), timeout=2) as sock:
            for i in range(0, len(stream), 1000):
                sock.sendall(stream[i : i + 1000])
            sock.settimeout(2)
            assert sock.recv(1) == b"\x00"
        assert emu.wait_for_jobs(2)
        for got in emu.jobs:
            commands, rest = tspl.parse(got)
            assert rest == b"" and commands[-1].name == "PRINT"
            assert got.strip() == job.strip()
    finally:
        emu.stop()


def test_zpl_status_flags_are_read_from_the_three_lines() -> None:
    def answer(paper: int, pause: int, head: int, ribbon: int) -> bytes:
        one = f"030,{paper},{pause},1218,000,0,0,0,000,0,0,0"
        two = f"001,0,{head},{ribbon},0,2,4,0,00000000,1,000"
        return b"".join(b"\x02" + s.encode() + b"\x03\r\n" for s in (one, two, "1234,0"))

    assert parse_zpl_status(answer(0, 0, 0, 0)).ok
    both = parse_zpl_status(answer(1, 0, 1, 0))
    assert not both.ok and "head is open" in both.text and "out of paper" in both.text
    assert "paused" in parse_zpl_status(answer(0, 1, 0, 0)).text
    with pytest.raises(DeviceError, match="cannot read"):
        parse_zpl_status(b"garbage\r\n")


def test_tspl_status_byte_bits() -> None:
    assert parse_tspl_status(0).ok
    assert parse_tspl_status(0x20).ok  # printing
    texts = {bit: parse_tspl_status(bit).text for bit in (1, 2, 4, 8, 16)}
    assert "head is open" in texts[1]
    assert "jammed" in texts[2]
    assert "out of paper" in texts[4]
    assert "out of ribbon" in texts[8]
    assert "paused" in texts[16]
    assert not parse_tspl_status(0x05).ok


def test_printer_settings_are_checked_and_survive_a_round_trip() -> None:
    config = PrinterConfig("serial", "/dev/ttyUSB0", "tspl", 300, "76x130mm", 115200)
    assert PrinterConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValidationError, match="System printers print PDF"):
        PrinterConfig("system", "", "zpl")
    with pytest.raises(ValidationError, match="203 or 300 dpi"):
        PrinterConfig("tcp", "10.0.0.5:9100", "zpl", dpi=600)
    with pytest.raises(ValidationError, match="address"):
        PrinterConfig("tcp", "", "zpl")

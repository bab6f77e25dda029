"""The station's document printer setting: stored with the other devices, checked, and where
the PDF route writes by default."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import ENV_HOME
from app.devices.document_printers import file_name
from app.devices.station_config import DocumentSettings, StationDevicesConfig
from app.domain.errors import ValidationError


def test_the_document_printer_is_stored_and_read_back_with_the_other_devices() -> None:
    config = StationDevicesConfig(documents=DocumentSettings("system", "", "Laser 3F", "Letter"))
    stored = config.to_json()
    assert stored["documents"] == {
        "mode": "system",
        "folder": "",
        "printer": "Laser 3F",
        "paper": "Letter",
    }
    assert StationDevicesConfig.from_json(stored) == config


def test_settings_stored_before_there_was_a_document_printer_mean_slips_as_pdf_files() -> None:
    # a station that never chose a document printer still gets its slips: as PDF files
    old = {"version": 1, "printer": {"transport": "off"}}
    assert StationDevicesConfig.from_json(old).documents == DocumentSettings("pdf")
    assert StationDevicesConfig.from_json(old).documents.enabled


@pytest.mark.parametrize(
    ("settings", "words"),
    [(DocumentSettings("fax"), "document printer"), (DocumentSettings("pdf", paper="A3"), "paper")],
)
def test_an_unknown_mode_or_paper_is_refused_naming_the_setting(
    settings: DocumentSettings, words: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        StationDevicesConfig(documents=settings).check()
    assert words in refused.value.message


def test_slips_go_to_a_slips_folder_in_the_data_directory_unless_a_folder_is_chosen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path))
    assert DocumentSettings("pdf").slip_folder() == tmp_path / "data" / "slips"
    assert DocumentSettings("pdf", str(tmp_path / "x")).slip_folder() == tmp_path / "x"


def test_slip_file_names_are_safe_and_unique_per_job() -> None:
    assert file_name("packing_slip", "PD-2024/001 张", 17) == "packing_slip-PD-2024_001_张-17.pdf"
    assert file_name("pickup_slip", "../../etc", 3) == "pickup_slip-.._.._etc-3.pdf"

"""``python dev.py demo`` names the one command that installs what Qt's window needs on Linux."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n'
UBUNTU = "NAME=Ubuntu\nID=ubuntu\nID_LIKE=debian\n"
FEDORA = 'NAME="Fedora Linux"\nID=fedora\n'
ROCKY = 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\n'


@pytest.fixture(scope="module")
def dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("packdesk_dev", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_libraries_qt_cannot_find_are_reported(dev: ModuleType) -> None:
    present = {"xcb-cursor", "xcb-image", "xcb-render-util", "xkbcommon-x11"}
    missing = dev.missing_qt_libs(lambda name: f"lib{name}.so" if name in present else None)
    assert [m[0] for m in missing] == ["xcb-icccm", "xcb-keysyms"]
    assert dev.missing_qt_libs(lambda name: f"lib{name}.so") == []


@pytest.mark.parametrize(
    ("os_release", "command"),
    [
        (DEBIAN, "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"),
        (UBUNTU, "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"),
        (FEDORA, "sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms"),
        (ROCKY, "sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms"),
    ],
)
def test_the_install_command_fits_the_distribution(
    dev: ModuleType, os_release: str, command: str
) -> None:
    wanted = {"xcb-cursor", "xcb-icccm", "xcb-keysyms"}
    missing = [lib for lib in dev.QT_XCB_LIBS if lib[0] in wanted]
    assert dev.install_hint(missing, os_release) == command


def test_no_check_when_qt_does_not_open_a_window(
    dev: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    dev.check_qt_libs()  # returns: nothing to install for the offscreen platform

#!/usr/bin/env python3
"""Set-up and run Packdesk from a source checkout, on Windows, macOS or Linux.

    python dev.py demo    start the app on a demo warehouse (local SQLite, emulated devices)
    python dev.py test    run the whole test suite (extra arguments go to pytest)
    python dev.py check   ruff, mypy and import-linter, as CI runs them
    python dev.py package the installers for this OS in dist/ (PyInstaller; --smoke tests the
                          result like CI; docs/installers.md)

Each command creates the virtual environment ``.venv`` and installs what is needed the first
time (and again whenever ``pyproject.toml`` changes). Only the Python standard library is used
here, so a fresh Python 3.11 is all it needs.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
DEMO_HOME = ROOT / ".packdesk-dev"
STAMP = VENV / ".packdesk-installed"


def venv_python() -> Path:
    sub = "Scripts/python.exe" if os.name == "nt" else "bin/python"
    return VENV / sub


def ensure_env() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs on any Python
        sys.exit(f"Packdesk needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    py = venv_python()
    if not py.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print(
            "Installing Packdesk and its dependencies (first run takes a few minutes) ...",
            flush=True,
        )
        run([py, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([py, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"])
        STAMP.write_text(wanted)
    return py


def run(cmd: list[object], env: dict[str, str] | None = None) -> int:
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)
    if code:
        sys.exit(code)
    return code


#: shared libraries Qt's xcb platform plugin needs that fresh desktop installs often lack:
#: (name for ctypes.util.find_library, Debian/Ubuntu package, Fedora/RHEL package)
QT_XCB_LIBS = (
    ("xcb-cursor", "libxcb-cursor0", "xcb-util-cursor"),
    ("xcb-icccm", "libxcb-icccm4", "xcb-util-wm"),
    ("xcb-keysyms", "libxcb-keysyms1", "xcb-util-keysyms"),
    ("xcb-image", "libxcb-image0", "xcb-util-image"),
    ("xcb-render-util", "libxcb-render-util0", "xcb-util-renderutil"),
    ("xkbcommon-x11", "libxkbcommon-x11-0", "libxkbcommon-x11"),
)


def missing_qt_libs(find: Callable[[str], str | None] | None = None) -> list[tuple[str, str, str]]:
    """The xcb libraries Qt will fail to load ("could not load the Qt platform plugin xcb")."""
    if find is None:
        import ctypes.util

        find = ctypes.util.find_library
    return [lib for lib in QT_XCB_LIBS if not find(lib[0])]


def install_hint(missing: list[tuple[str, str, str]], os_release: str) -> str:
    """The one command that installs ``missing`` on this Linux distribution."""
    ids = " ".join(
        line.split("=", 1)[1].strip().strip('"').lower()
        for line in os_release.splitlines()
        if line.startswith(("ID=", "ID_LIKE="))
    )
    if any(d in ids for d in ("fedora", "rhel", "centos")):
        return "sudo dnf install " + " ".join(m[2] for m in missing)
    return "sudo apt install " + " ".join(m[1] for m in missing)


def check_qt_libs() -> None:
    """On Linux with a real display, say which command installs what Qt's window needs."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or platform not in ("", "xcb"):
        return
    missing = missing_qt_libs()
    if not missing:
        return
    try:
        os_release = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        os_release = ""
    sys.exit(
        "Qt cannot open a window on this Linux: it needs these libraries, which are missing: "
        + ", ".join(m[0] for m in missing)
        + ".\nInstall them with:\n\n    "
        + install_hint(missing, os_release)
        + "\n\nthen run this command again."
    )


def demo(args: list[str]) -> int:
    py = ensure_env()
    check_qt_libs()
    env = dict(os.environ, PACKDESK_HOME=str(DEMO_HOME))
    db = DEMO_HOME / "data" / "packdesk.sqlite"
    if not db.exists():
        print("Creating the demo warehouse in .packdesk-dev ...", flush=True)
        run([py, "-m", "ui.launcher", "demo-data", "--orders", "500", "--seed", "1"], env=env)
    return subprocess.call([str(py), "-m", "ui.launcher", "--demo", *args], cwd=ROOT, env=env)


def test(args: list[str]) -> int:
    py = ensure_env()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not any(a == "-n" or a.startswith("--numprocesses") or a.startswith("-n") for a in args):
        # one worker per core (pytest-xdist); each worker has its own PostgreSQL test database
        args = ["-n", "auto", *args]
    return subprocess.call([str(py), "-m", "pytest", *args], cwd=ROOT, env=env)


def check(_args: list[str]) -> int:
    py = ensure_env()
    scripts = py.parent
    failed = 0
    for cmd in (
        [py, "-m", "ruff", "check", "."],
        [py, "-m", "ruff", "format", "--check", "."],
        [py, "-m", "mypy"],
        [scripts / ("lint-imports" + (".exe" if os.name == "nt" else ""))],
    ):
        print(
            "$",
            " ".join(Path(str(c)).name if i == 0 else str(c) for i, c in enumerate(cmd)),
            flush=True,
        )
        failed |= subprocess.call([str(c) for c in cmd], cwd=ROOT) != 0
    return 1 if failed else 0


def package(args: list[str]) -> int:
    py = ensure_env()
    if subprocess.call([str(py), "-c", "import PyInstaller"], stderr=subprocess.DEVNULL):
        print("Installing PyInstaller (the package extra) ...", flush=True)
        run([py, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test,package]"])
    return subprocess.call([str(py), str(ROOT / "packaging" / "build.py"), *args], cwd=ROOT)


COMMANDS = {"demo": demo, "test": test, "check": check, "package": package}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        sys.exit(2)
    sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))

"""Build Packdesk's installers for the OS this runs on (``python dev.py package`` runs it with the
virtual environment's Python, which has PyInstaller from the ``package`` extra).

    python packaging/build.py [--skip-bundle] [--smoke]

1. PyInstaller freezes the app into ``dist/packdesk/`` (``packaging/packdesk.spec``; on macOS
   also ``dist/Packdesk.app``);
2. then, by OS:
   - Linux: ``dist/packdesk-VERSION-linux-ARCH.tar.gz`` (the folder) and
     ``dist/packdesk_VERSION_ARCH.deb`` (``dpkg-deb``: ``/opt/packdesk``, ``/usr/bin/packdesk``,
     a menu entry and an icon; it depends on the X11 libraries Qt needs);
   - Windows: ``dist/Packdesk-VERSION-setup.exe`` from ``packaging/windows/packdesk.iss`` with
     Inno Setup's ``iscc`` (on the PATH or in its usual folder);
   - macOS: ``dist/Packdesk-VERSION.dmg`` from the ``.app`` with ``hdiutil``.
3. ``--smoke``: ``packaging/smoke_bundle.py`` on the folder.

Standard library only. Prints where each file is, its size and how long each step took.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
BUNDLE = DIST / "packdesk"
sys.path.insert(0, str(HERE))

from bundle_contents import packdesk_version  # noqa: E402 - next to this script
from smoke_bundle import bundle_size  # noqa: E402

#: what the .deb needs from the system: Qt's xcb platform plug-in (the libraries dev.py's
#: ``QT_XCB_LIBS`` names), OpenGL/EGL, fontconfig and D-Bus, as Debian and Ubuntu name them
DEB_DEPENDS = (
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxkbcommon-x11-0",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
)


def say(what: str, path: Path, started: float) -> None:
    size = bundle_size(path) if path.is_dir() else path.stat().st_size
    took = time.perf_counter() - started
    print(f"{what}: {path} ({size / 1_000_000:.1f} MB, {took:.0f} s)", flush=True)


def build_bundle() -> None:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(ROOT / "build" / "pyinstaller"),
            str(HERE / "packdesk.spec"),
        ],
        cwd=ROOT,
        check=True,
    )
    say("app folder", BUNDLE, started)


def linux_arch() -> tuple[str, str]:
    """(the machine's name for tarballs, Debian's architecture name)."""
    machine = platform.machine().lower()
    deb = {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)
    return machine, deb


def build_tarball(version: str) -> Path:
    started = time.perf_counter()
    out = DIST / f"packdesk-{version}-linux-{linux_arch()[0]}.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(BUNDLE, arcname=f"packdesk-{version}")
    say("tarball", out, started)
    return out


def deb_control(version: str, arch: str, installed_kb: int) -> str:
    return (
        "Package: packdesk\n"
        f"Version: {version}\n"
        "Section: misc\n"
        "Priority: optional\n"
        f"Architecture: {arch}\n"
        f"Installed-Size: {installed_kb}\n"
        f"Depends: {', '.join(DEB_DEPENDS)}\n"
        "Maintainer: Packdesk maintainers <maintainers@packdesk.invalid>\n"
        "Description: Packdesk warehouse stations: pick, pack and ship\n"
        " Desktop warehouse application for e-commerce fulfilment: order checks,\n"
        " picking, packing with scanners and scales, labels and handover to carriers,\n"
        " on a local SQLite file or a shared PostgreSQL database. English and Chinese.\n"
    )


def build_deb(version: str) -> Path | None:
    if shutil.which("dpkg-deb") is None:
        print("no dpkg-deb here: the .deb is skipped (the tarball is there)", flush=True)
        return None
    started = time.perf_counter()
    arch = linux_arch()[1]
    out = DIST / f"packdesk_{version}_{arch}.deb"
    with tempfile.TemporaryDirectory(prefix="packdesk-deb-") as tmp:
        root = Path(tmp)
        shutil.copytree(BUNDLE, root / "opt" / "packdesk", symlinks=True)
        (root / "usr" / "bin").mkdir(parents=True)
        (root / "usr" / "bin" / "packdesk").symlink_to("/opt/packdesk/packdesk")
        apps = root / "usr" / "share" / "applications"
        apps.mkdir(parents=True)
        shutil.copy2(HERE / "linux" / "packdesk.desktop", apps / "packdesk.desktop")
        icons = root / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps"
        icons.mkdir(parents=True)
        shutil.copy2(HERE / "icons" / "packdesk.png", icons / "packdesk.png")
        (root / "DEBIAN").mkdir()
        installed_kb = bundle_size(root) // 1024 + 1
        (root / "DEBIAN" / "control").write_text(
            deb_control(version, arch, installed_kb), encoding="utf-8"
        )
        for folder, _dirs, _files in os.walk(root):
            os.chmod(folder, 0o755)
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(root), str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    say(".deb", out, started)
    return out


def find_iscc() -> str | None:
    found = shutil.which("iscc")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").exists():
            return str(Path(base) / "Inno Setup 6" / "ISCC.exe")
    return None


def build_windows_installer(version: str) -> Path | None:
    iscc = find_iscc()
    if iscc is None:
        print("Inno Setup 6 (iscc) is not installed: the setup program is skipped", flush=True)
        return None
    started = time.perf_counter()
    subprocess.run(
        [iscc, f"/DAppVersion={version}", f"/O{DIST}", str(HERE / "windows" / "packdesk.iss")],
        check=True,
    )
    out = DIST / f"Packdesk-{version}-setup.exe"
    say("Windows installer", out, started)
    return out


def build_dmg(version: str) -> Path:
    started = time.perf_counter()
    out = DIST / f"Packdesk-{version}.dmg"
    out.unlink(missing_ok=True)
    subprocess.run(["bash", str(HERE / "macos" / "make_dmg.sh"), str(DIST), version], check=True)
    say("macOS disk image", out, started)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-bundle", action="store_true", help="reuse dist/packdesk")
    parser.add_argument("--smoke", action="store_true", help="smoke-test the folder afterwards")
    args = parser.parse_args(argv)
    version = packdesk_version(ROOT)
    if not args.skip_bundle:
        build_bundle()
    if sys.platform.startswith("linux"):
        build_tarball(version)
        build_deb(version)
    elif sys.platform == "win32":
        build_windows_installer(version)
    elif sys.platform == "darwin":
        build_dmg(version)
    if args.smoke:
        from smoke_bundle import main as smoke

        return smoke([str(BUNDLE)])
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Smoke-test a built Packdesk bundle the way a fresh user meets it.

    python packaging/smoke_bundle.py [BUNDLE] [--orders N] [--max-mb MB]

BUNDLE is ``dist/packdesk`` (the folder ``python dev.py package`` builds) or, on macOS,
``dist/Packdesk.app``. The bundle is copied to a new temporary folder and run from there with an
empty home folder, no source tree and no virtual environment in reach, offscreen:

1. its size is measured (it must stay under ``--max-mb``, 250 MB) and the files a user needs
   are looked for (the Chinese font, the translations, the migrations, the plug-in entry points);
2. ``packdesk --version``;
3. ``packdesk demo-data``, after which the settings file, the database and the log must be where
   the README says a fresh user finds them;
4. ``packdesk orders list --json`` (parsed: the demo orders must be there);
5. ``packdesk simulate --orders 5 --pick`` on a database of its own: a short shift through
   import, picking, packing, labels, handover manifests and tracking export;
6. an offscreen start in Chinese with ``PACKDESK_SMOKE=1`` (``ui/smoke.py``): the log-in dialog
   must be shown, with its title translated and the shipped CJK font in use.

Standard library only: CI (``.ci/run``) and the installers workflow run it with any Python 3.
Exits 0 when every step passed; prints each step's time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bundle_contents import REQUIRED_FILES  # noqa: E402 - next to this script

MAX_MB = 250
CJK_FAMILY = "WenQuanYi Micro Hei"
ENGLISH_TITLE = "Packdesk - log in"
#: built-in plug-ins found through Packdesk's entry points, as a pip install finds them
PLUGINS = (("packdesk.carriers", "pool"), ("packdesk.channels", "shopify"))


class SmokeFailed(Exception):
    pass


def bundle_size(folder: Path) -> int:
    """Bytes of every file in the folder (symbolic links count once, as links)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            total += os.lstat(os.path.join(root, name)).st_size
    return total


def program(bundle: Path) -> Path:
    if bundle.suffix == ".app":
        return bundle / "Contents" / "MacOS" / "packdesk"
    return bundle / ("packdesk.exe" if os.name == "nt" else "packdesk")


def contents_dirs(bundle: Path) -> list[Path]:
    """Where PyInstaller put the bundled files (onedir: ``_internal``; a macOS app: Resources
    and Frameworks)."""
    if bundle.suffix == ".app":
        return [bundle / "Contents" / "Resources", bundle / "Contents" / "Frameworks"]
    return [bundle / "_internal", bundle]


def missing_files(bundle: Path) -> list[str]:
    dirs = contents_dirs(bundle)
    missing = [rel for rel in REQUIRED_FILES if not any((d / rel).exists() for d in dirs)]
    groups = ("packdesk.carriers", "packdesk.channels")
    eps = [p for d in dirs for p in d.glob("packdesk-*.dist-info/entry_points.txt")]
    text = eps[0].read_text(encoding="utf-8") if eps else ""
    missing += [f"entry points [{g}]" for g in groups if f"[{g}]" not in text]
    return missing


def user_paths(home: Path) -> dict[str, Path]:
    """Where a fresh user's settings, database and log are (the README's table)."""
    if sys.platform == "win32":
        # platformdirs asks Windows for the known folder, whatever the environment says: the
        # runner's own (fresh) profile is the fresh user here
        base = Path(os.environ["LOCALAPPDATA"]) / "Packdesk"
        return {
            "settings": base / "packdesk.toml",
            "database": base / "packdesk.sqlite",
            "log": base / "Logs" / "packdesk.log",
        }
    if sys.platform == "darwin":
        base = home / "Library" / "Application Support" / "Packdesk"
        return {
            "settings": base / "packdesk.toml",
            "database": base / "packdesk.sqlite",
            "log": home / "Library" / "Logs" / "Packdesk" / "packdesk.log",
        }
    return {
        "settings": home / ".config" / "Packdesk" / "packdesk.toml",
        "database": home / ".local" / "share" / "Packdesk" / "packdesk.sqlite",
        "log": home / ".local" / "state" / "Packdesk" / "log" / "packdesk.log",
    }


def clean_env(home: Path) -> dict[str, str]:
    """A fresh user's environment: an empty home, nothing of Packdesk's or of Python's."""
    keep = ("PATH", "SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC", "TEMP", "TMP", "LANG")
    if sys.platform == "win32":
        keep += ("USERPROFILE", "LOCALAPPDATA", "APPDATA")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return env


class Smoke:
    def __init__(self, exe: Path, env: dict[str, str], cwd: Path) -> None:
        self.exe, self.env, self.cwd = exe, env, cwd
        self.timings: list[tuple[str, float]] = []

    def step(self, name: str, fn: Callable[[], str]) -> None:
        started = time.perf_counter()
        try:
            detail = fn()
        except SmokeFailed as exc:
            print(f"FAIL  {name}: {exc}", flush=True)
            raise
        took = time.perf_counter() - started
        self.timings.append((name, took))
        print(f"ok    {name} ({took:.1f} s){': ' + detail if detail else ''}", flush=True)

    def run(self, *args: str, extra: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [str(self.exe), *args],
            cwd=self.cwd,
            env={**self.env, **(extra or {})},
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=600,
        )
        if done.returncode != 0:
            raise SmokeFailed(
                f"packdesk {' '.join(args)} exited {done.returncode}\n"
                f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
            )
        return done.stdout


def check_version(smoke: Smoke) -> str:
    out = smoke.run("--version").strip()
    if not re.fullmatch(r"packdesk \d+\.\d+\S*", out):
        raise SmokeFailed(f"--version printed {out!r}")
    return out


def check_demo_data(smoke: Smoke, orders: int, home: Path) -> str:
    where = user_paths(home)
    there = [str(path) for path in where.values() if path.exists()]
    if there:
        raise SmokeFailed("not a fresh user: these are there already: " + ", ".join(there))
    smoke.run("demo-data", "--orders", str(orders), "--seed", "1")
    missing = [f"{what} ({path})" for what, path in where.items() if not path.exists()]
    if missing:
        raise SmokeFailed("a fresh user's first start did not create: " + ", ".join(missing))
    return ", ".join(f"{what} {path}" for what, path in where.items())


def check_orders(smoke: Smoke, orders: int) -> str:
    data = json.loads(smoke.run("orders", "list", "--json"))
    if not isinstance(data, list) or len(data) != orders:
        raise SmokeFailed(f"orders list --json gave {len(data)} orders, not {orders}")
    keys = {"number", "status", "channel", "lines"}
    if not all(isinstance(o, dict) and keys <= set(o) for o in data):
        raise SmokeFailed(f"orders list --json: an order lacks one of {sorted(keys)}")
    return f"{len(data)} orders"


def check_shift(smoke: Smoke, where: Path) -> str:
    """A short shift on its own database: import, pick, pack (labels, slips), handover
    (manifest PDFs) and tracking export run inside the bundle (reportlab, zint, Pillow...)."""
    db = where / "shift.sqlite"
    out = where / "shift"
    args = ["--db", f"sqlite:///{db.as_posix()}", "simulate", "--orders", "5", "--pick"]
    data = json.loads(smoke.run(*args, "--json", "--quiet", "--out", str(out)))
    if data.get("orders_shipped") != 5:
        raise SmokeFailed(f"the shift shipped {data.get('orders_shipped')} of 5 orders")
    made = sorted({p.suffix for p in out.rglob("*") if p.is_file()})
    if ".pdf" not in made:
        raise SmokeFailed(f"the shift wrote no PDF (manifest): {made}")
    return f"5 orders shipped, {data.get('labels_printed')} labels, files {made}"


def check_gui(smoke: Smoke) -> str:
    out = smoke.run("--lang", "zh_CN", extra={"PACKDESK_SMOKE": "1"})
    report = json.loads(out.strip().splitlines()[-1])
    if report.get("smoke") != "passed" or "login" not in report.get("dialogs", []):
        raise SmokeFailed(f"the log-in dialog was not shown: {report}")
    if report.get("title") in ("", ENGLISH_TITLE):
        raise SmokeFailed(f"the log-in dialog is not in Chinese: {report.get('title')!r}")
    if CJK_FAMILY not in report.get("fonts", []):
        raise SmokeFailed(f"the shipped Chinese font is not in use: {report.get('fonts')}")
    if report.get("utf8_mode") is not True:
        raise SmokeFailed("the app does not run in Python's UTF-8 mode (packdesk.spec)")
    plugins = report.get("plugins", {})
    for group, name in PLUGINS:
        if name not in plugins.get(group, []):
            raise SmokeFailed(f"the plug-in {name} ({group}) does not load: {plugins}")
    return f"log-in dialog {report['title']!r}, fonts {report['fonts']}, plug-ins {plugins}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", nargs="?", default=str(HERE.parent / "dist" / "packdesk"))
    parser.add_argument("--orders", type=int, default=20, help="demo orders (default 20)")
    parser.add_argument("--max-mb", type=float, default=MAX_MB)
    args = parser.parse_args(argv)
    bundle = Path(args.bundle).resolve()
    if not program(bundle).exists():
        print(f"no Packdesk bundle at {bundle}: build it with 'python dev.py package'")
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="packdesk-smoke-") as tmp:
        where = Path(tmp)
        copy = where / "app" / bundle.name
        shutil.copytree(bundle, copy, symlinks=True)
        home = where / "home"
        home.mkdir()
        smoke = Smoke(program(copy), clean_env(home), cwd=where)
        try:
            smoke.step("size", lambda: check_size(copy, args.max_mb))
            smoke.step("contents", lambda: check_contents(copy))
            smoke.step("--version", lambda: check_version(smoke))
            smoke.step("demo-data", lambda: check_demo_data(smoke, args.orders, home))
            smoke.step("orders list --json", lambda: check_orders(smoke, args.orders))
            smoke.step("a short shift (simulate --pick)", lambda: check_shift(smoke, where))
            smoke.step("offscreen start to the log-in dialog", lambda: check_gui(smoke))
        except SmokeFailed:
            return 1
    print(f"smoke test passed in {time.perf_counter() - started:.1f} s")
    return 0


def check_size(bundle: Path, max_mb: float) -> str:
    mb = bundle_size(bundle) / 1_000_000
    if mb > max_mb:
        raise SmokeFailed(f"the bundle is {mb:.1f} MB, over the {max_mb:.0f} MB limit")
    return f"{mb:.1f} MB (limit {max_mb:.0f} MB)"


def check_contents(bundle: Path) -> str:
    missing = missing_files(bundle)
    if missing:
        raise SmokeFailed("missing from the bundle: " + ", ".join(missing))
    return f"{len(REQUIRED_FILES)} files and both plug-in entry point groups"


if __name__ == "__main__":
    sys.exit(main())

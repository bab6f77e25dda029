"""What goes into the frozen Packdesk and what is left out (read by ``packdesk.spec``; the tests
check these lists without building). Standard library only."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

#: resources the app reads at run time, relative to ``resources/``; all of them are shipped
#: except translation sources (``.ts``: the app loads the compiled ``.qm``)
SOURCE_ONLY = (".ts",)

#: what a user of the bundle must find in it (checked by tests and by packaging/smoke_bundle.py)
REQUIRED_FILES = (
    "resources/fonts/wqy-microhei.ttc",
    "resources/fonts/LICENSE-wqy-microhei.txt",
    "resources/translations/packdesk_zh_CN.qm",
    "resources/sounds/ok.wav",
    "resources/sounds/error.wav",
    "resources/layouts/demo.toml",
    "app/db/migrations/env.py",
    "LICENSE",
)

#: Python modules never shipped: Qt modules Packdesk does not import (it uses QtCore, QtGui,
#: QtWidgets, QtPrintSupport, QtPdf, QtCharts and QtMultimedia), parts of libraries it does not
#: use, GUI toolkits and test tools (a test fails if app/ or ui/ imports one of them)
EXCLUDED_MODULES = [
    *(
        f"PySide6.{m}"
        for m in (
            "Qt3DAnimation",
            "Qt3DCore",
            "Qt3DExtras",
            "Qt3DInput",
            "Qt3DLogic",
            "Qt3DRender",
            "QtBluetooth",
            "QtCanvasPainter",
            "QtConcurrent",
            "QtDataVisualization",
            "QtDesigner",
            "QtGraphs",
            "QtGraphsWidgets",
            "QtHelp",
            "QtHttpServer",
            "QtLocation",
            "QtMultimediaWidgets",
            "QtNetworkAuth",
            "QtNfc",
            "QtPdfWidgets",
            "QtPositioning",
            "QtQml",
            "QtQuick",
            "QtQuick3D",
            "QtQuickControls2",
            "QtQuickTest",
            "QtQuickWidgets",
            "QtRemoteObjects",
            "QtScxml",
            "QtSensors",
            "QtSerialBus",
            "QtSerialPort",
            "QtSpatialAudio",
            "QtSql",
            "QtStateMachine",
            "QtTest",
            "QtTextToSpeech",
            "QtUiTools",
            "QtWebChannel",
            "QtWebEngineCore",
            "QtWebEngineQuick",
            "QtWebEngineWidgets",
            "QtWebSockets",
            "QtWebView",
            "QtXml",
        )
    ),
    # bindings the QtCharts hook names: the app never imports them (their Qt libraries stay)
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "tkinter",
    "_tkinter",
    # phonenumbers' geocoding, carrier and time-zone data (40 MB of modules): Packdesk only
    # parses and validates numbers
    "phonenumbers.geocoder",
    "phonenumbers.geodata",
    "phonenumbers.carrier",
    "phonenumbers.carrierdata",
    "phonenumbers.timezone",
    "phonenumbers.tzdata",
    # SQLAlchemy dialects of databases Packdesk does not run on (SQLite and PostgreSQL stay)
    "sqlalchemy.dialects.mysql",
    "sqlalchemy.dialects.mssql",
    "sqlalchemy.dialects.oracle",
    # Pillow's AVIF codec (4.7 MB of libavif) and Tk bridge: labels use PNG and PDF
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._imagingtk",
    "PIL.ImageTk",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "zxingcpp",
    "zplkit",
    "aiosmtpd",
    "trustme",
    "mypy",
    "ruff",
    "importlinter",
    "IPython",
    "matplotlib",
]

#: Qt libraries and plug-ins that PyInstaller's Qt hooks would bring along although nothing
#: Packdesk does needs them (QML and Quick, 3-D, WebEngine, designer, scene and asset importers,
#: the embedded-device EGLFS back-end, the GTK 3 theme that needs GTK on the station anyway)
_DROPPED = re.compile(
    r"(^|[/\\])("
    r"(lib)?Qt6?(Quick|Qml|WebEngine|3D|Designer|VirtualKeyboard|ShaderTools|Graphs|"
    r"DataVisualization|Location|Positioning|Sensors|TextToSpeech|Scxml|RemoteObjects|EglFS)"
    r"|qmltooling|sceneparsers|assetimporters|geometryloaders|renderers|renderplugins|"
    r"geoservices|texttospeech|position|sensors|canbus|designer|qml[/\\]|"
    r"egldeviceintegrations|libqeglfs|libqgtk3"
    r")",
)
#: the languages the app speaks: other languages' data (Qt's translations, the CLDR locale
#: data babel uses for country names: 35 MB) stay out
LANGUAGES = ("en", "zh")
_QT_TRANSLATION = re.compile(r"[/\\]translations[/\\](?P<name>[^/\\]+)\.qm$")
_BABEL_LOCALE = re.compile(r"^babel[/\\]locale-data[/\\](?P<name>[^/\\]+)\.dat$")


def dropped_binary(dest: str) -> bool:
    """True for a collected library, plug-in or data file (its path inside the bundle) that is
    left out."""
    if _DROPPED.search(dest):
        return True
    qt = _QT_TRANSLATION.search(dest)
    if qt and dest.startswith("PySide6"):
        return not qt["name"].endswith("_zh_CN") or qt["name"].startswith("qt_help")
    babel = _BABEL_LOCALE.search(dest)
    if babel:
        first = babel["name"].split("_")[0]
        return first not in ("root", *LANGUAGES)
    return False


#: entry point groups of Packdesk's plug-ins
PLUGIN_GROUPS = ("packdesk.carriers", "packdesk.channels")


def plugin_distributions() -> dict[str, list[str]]:
    """The installed distributions offering Packdesk plug-ins (Packdesk itself among them):
    name -> the top-level modules their entry points name. A frozen app cannot install more,
    so the build bundles every plug-in installed where it runs."""
    from importlib.metadata import distributions

    found: dict[str, set[str]] = {}
    for dist in distributions():
        for ep in dist.entry_points:
            if ep.group in PLUGIN_GROUPS:
                found.setdefault(dist.metadata["Name"], set()).add(ep.module.split(".")[0])
    return {name: sorted(modules) for name, modules in sorted(found.items())}


def packdesk_version(root: Path) -> str:
    """``app.__version__`` as written in ``app/__init__.py`` (without importing the app)."""
    text = (root / "app" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r"^__version__ = [\"']([^\"']+)[\"']", text, re.MULTILINE)
    if not found:
        raise ValueError("app/__init__.py has no __version__")
    return found[1]


def write_dist_info(root: Path, out: Path) -> Path:
    """Packdesk's package metadata for the bundle, made from the ``pyproject.toml`` being
    frozen (not from whatever older install the build environment holds): its version and its
    entry points, through which the built-in carrier and channel plug-ins are found."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    version = packdesk_version(root)
    folder = out / f"{project['name']}-{version}.dist-info"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {version}\n"
        f"Summary: {project['description']}\nLicense-Expression: {project['license']}\n",
        encoding="utf-8",
    )
    groups = {"console_scripts": project.get("scripts", {}), **project.get("entry-points", {})}
    lines: list[str] = []
    for group, eps in groups.items():
        lines += [f"[{group}]", *(f"{name} = {value}" for name, value in eps.items()), ""]
    (folder / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")
    (folder / "INSTALLER").write_text("pyinstaller\n", encoding="utf-8")
    return folder


def resource_datas(root: Path) -> list[tuple[str, str]]:
    """PyInstaller ``datas`` for ``resources/`` and the licence: (source file, target folder)."""
    out = [(str(root / "LICENSE"), ".")]
    for path in sorted((root / "resources").rglob("*")):
        if path.is_file() and path.suffix not in SOURCE_ONLY:
            out.append((str(path), str(path.parent.relative_to(root).as_posix())))
    return out
